package dev.regent.gitops;

import java.time.Instant;
import java.util.Optional;

/**
 * What `regent status` shows of the followed repository. applied: the last revision that
 * converged. attempted: the newest revision tried; reason says why it is not applied when the two
 * differ. fetchError: the last fetch failed (the host keeps the applied revision meanwhile).
 */
public record SyncStatus(String source, String branch, Optional<String> applied, Optional<String> attempted,
                         Optional<String> reason, Optional<Instant> lastFetch, Optional<String> fetchError) {
    public static final String FILE = "gitops.json";
}
