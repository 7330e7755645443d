package dev.regent.approval;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.function.Consumer;

/**
 * Tells the loop when deploy/run/approvals.json is written (by `regent approve` in another
 * process), so an approved promotion goes ahead at once rather than at the next resync.
 */
public final class ApprovalWatch implements AutoCloseable {
    private final WatchService watcher;
    private final Thread thread;

    public ApprovalWatch(Path runFolder, Consumer<String> onApproval) throws IOException {
        Files.createDirectories(runFolder);
        watcher = FileSystems.getDefault().newWatchService();
        runFolder.register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY);
        thread = new Thread(() -> {
            try {
                while (true) {
                    WatchKey key = watcher.take();
                    boolean approved = key.pollEvents().stream()
                            .anyMatch(e -> Approvals.FILE.equals(String.valueOf(e.context())));
                    key.reset();
                    if (approved) {
                        onApproval.accept("a build was approved");
                    }
                }
            } catch (InterruptedException | ClosedWatchServiceException e) {
                Thread.currentThread().interrupt();
            }
        }, "regent-approval-watch");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() throws IOException {
        watcher.close();
        thread.interrupt();
    }
}
