package dev.regent.reconcile;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;

/** Fires when the desired-state file changes (watching its folder, since editors replace files by rename). */
public final class FileTrigger implements AutoCloseable {
    private final WatchService watcher;
    private final Thread thread;

    public FileTrigger(Path file, TriggerQueue queue) throws IOException {
        Path folder = file.toAbsolutePath().getParent();
        String name = file.getFileName().toString();
        watcher = FileSystems.getDefault().newWatchService();
        folder.register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                StandardWatchEventKinds.ENTRY_DELETE);
        thread = new Thread(() -> {
            try {
                while (true) {
                    WatchKey key = watcher.take();
                    boolean ours = key.pollEvents().stream().anyMatch(e -> name.equals(String.valueOf(e.context())));
                    key.reset();
                    if (ours) {
                        queue.fire(name + " changed");
                    }
                }
            } catch (InterruptedException | ClosedWatchServiceException e) {
                Thread.currentThread().interrupt();
            }
        }, "regent-file-watch");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() throws IOException {
        watcher.close();
        thread.interrupt();
    }
}
