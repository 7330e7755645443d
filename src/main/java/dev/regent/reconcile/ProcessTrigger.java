package dev.regent.reconcile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Nudges the loop when a uWSGI router or pool starts or stops: each binds its stats socket in
 * deploy/run at start and the file is replaced when the emperor respawns it. A killed pool or a
 * respawned router is then repaired within a reconcile, not at the next periodic resync.
 */
public final class ProcessTrigger implements AutoCloseable {
    private static final Pattern STATS = Pattern.compile("([a-z0-9][a-z0-9-]*)-(vassal|pool)\\.stats");
    private final FolderWatch watch;

    public ProcessTrigger(Path runFolder, TriggerQueue queue) throws IOException {
        Files.createDirectories(runFolder);
        watch = new FolderWatch(runFolder, "regent-process-watch", ProcessTrigger::reason, queue::nudge,
                StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_DELETE);
    }

    private static Optional<String> reason(List<WatchEvent<?>> events) {
        Optional<String> reason = Optional.empty();
        for (WatchEvent<?> event : events) {
            Matcher matcher = STATS.matcher(String.valueOf(event.context()));
            if (matcher.matches()) {
                reason = Optional.of("the " + (matcher.group(2).equals("pool") ? "worker pool" : "router") + " of build "
                        + matcher.group(1) + (event.kind() == StandardWatchEventKinds.ENTRY_CREATE ? " started" : " stopped"));
            }
        }
        return reason;
    }

    @Override
    public void close() throws IOException {
        watch.close();
    }
}
