package dev.regent.reconcile;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Watches one folder on a daemon thread and hands each batch of events to {@code reasonOf}; a
 * reason it returns goes to {@code onChange}. Closing stops the thread.
 */
public final class FolderWatch implements AutoCloseable {
    private final WatchService watcher;
    private final Thread thread;

    public FolderWatch(Path folder, String threadName, Function<List<WatchEvent<?>>, Optional<String>> reasonOf,
                Consumer<String> onChange, WatchEvent.Kind<?>... kinds) throws IOException {
        watcher = FileSystems.getDefault().newWatchService();
        folder.register(watcher, kinds);
        thread = new Thread(() -> {
            try {
                while (true) {
                    WatchKey key = watcher.take();
                    Optional<String> reason = reasonOf.apply(key.pollEvents());
                    key.reset();
                    reason.ifPresent(onChange);
                }
            } catch (InterruptedException | ClosedWatchServiceException e) {
                Thread.currentThread().interrupt();
            }
        }, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() throws IOException {
        watcher.close();
        thread.interrupt();
    }
}
