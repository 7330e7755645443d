package dev.regent.reconcile;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.util.Optional;

/** Fires when the desired-state file changes (watching its folder, since editors replace files by rename). */
public final class FileTrigger implements AutoCloseable {
    private final FolderWatch watch;

    public FileTrigger(Path file, TriggerQueue queue) throws IOException {
        String name = file.getFileName().toString();
        watch = new FolderWatch(file.toAbsolutePath().getParent(), "regent-file-watch",
                events -> events.stream().anyMatch(e -> name.equals(String.valueOf(e.context())))
                        ? Optional.of(name + " changed") : Optional.empty(),
                queue::fire,
                StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                StandardWatchEventKinds.ENTRY_DELETE);
    }

    @Override
    public void close() throws IOException {
        watch.close();
    }
}
