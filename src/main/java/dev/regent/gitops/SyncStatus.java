package dev.regent.gitops;

import dev.regent.fs.HostFiles;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * What `regent status` shows of the followed repository. applied: the last revision that
 * converged. attempted: the newest revision tried; reason says why it is not applied when the two
 * differ. fetchError: the last fetch failed (the host keeps the applied revision meanwhile).
 * source: the URL with its credentials masked.
 */
public record SyncStatus(String source, String branch, Optional<String> applied, Optional<String> attempted,
                         Optional<String> reason, Optional<Instant> lastFetch, Optional<String> fetchError) {
    public static final String FILE = "gitops.json";

    /**
     * The git sync of the loop, read from {@code runFolder}; empty when the loop follows the file
     * (it removes the status of an earlier `run --git`). Redacted again on reading, for a file an
     * older Regent wrote with the credentials in it.
     */
    public static Optional<SyncStatus> read(Path runFolder) {
        return HostFiles.readJson(runFolder.resolve(FILE), SyncStatus.class).map(SyncStatus::redacted);
    }

    private SyncStatus redacted() {
        return new SyncStatus(RedactedUrl.of(source).shown(), branch, applied, attempted,
                reason.map(RedactedUrl::scrubAny), lastFetch, fetchError.map(RedactedUrl::scrubAny));
    }
}
