package dev.regent.approval;

import dev.regent.reconcile.FolderWatch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Tells the loop when deploy/run/approvals.json is written (by `regent approve` in another
 * process), so an approved promotion goes ahead at once rather than at the next resync.
 */
public final class ApprovalWatch implements AutoCloseable {
    private final FolderWatch watch;

    public ApprovalWatch(Path runFolder, Consumer<String> onApproval) throws IOException {
        Files.createDirectories(runFolder);
        watch = new FolderWatch(runFolder, "regent-approval-watch",
                events -> events.stream().anyMatch(e -> Approvals.FILE.equals(String.valueOf(e.context())))
                        ? Optional.of("a build was approved") : Optional.empty(),
                onApproval, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY);
    }

    @Override
    public void close() throws IOException {
        watch.close();
    }
}
