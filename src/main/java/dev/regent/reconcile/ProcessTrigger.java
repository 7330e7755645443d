package dev.regent.reconcile;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Nudges the loop when a uWSGI router or pool starts or stops: each binds its stats socket in
 * deploy/run at start and the file is replaced when the emperor respawns it. A killed pool or a
 * respawned router is then repaired within a reconcile, not at the next periodic resync.
 */
public final class ProcessTrigger implements AutoCloseable {
    private static final Pattern STATS = Pattern.compile("([a-z0-9][a-z0-9-]*)-(vassal|pool)\\.stats");
    private final WatchService watcher;
    private final Thread thread;

    public ProcessTrigger(Path runFolder, TriggerQueue queue) throws IOException {
        Files.createDirectories(runFolder);
        watcher = FileSystems.getDefault().newWatchService();
        runFolder.register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_DELETE);
        thread = new Thread(() -> {
            try {
                while (true) {
                    WatchKey key = watcher.take();
                    String reason = null;
                    for (WatchEvent<?> event : key.pollEvents()) {
                        Matcher matcher = STATS.matcher(String.valueOf(event.context()));
                        if (matcher.matches()) {
                            reason = "the " + (matcher.group(2).equals("pool") ? "worker pool" : "router") + " of build "
                                    + matcher.group(1) + (event.kind() == StandardWatchEventKinds.ENTRY_CREATE
                                    ? " started" : " stopped");
                        }
                    }
                    key.reset();
                    if (reason != null) {
                        queue.nudge(reason);
                    }
                }
            } catch (InterruptedException | ClosedWatchServiceException e) {
                Thread.currentThread().interrupt();
            }
        }, "regent-process-watch");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() throws IOException {
        watcher.close();
        thread.interrupt();
    }
}
