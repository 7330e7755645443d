package dev.regent.observe;

import dev.regent.fs.HostLayout;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * deploy/run/promotion.json: the last move of live, written just before the rename that makes it
 * (so a crash after the rename still leaves it); it describes the host only while live is {@code to}.
 * {@code revision}: the commit id, or "file:" + the sha256 of the desired-state file. {@code trigger}:
 * file, git, cli, approval or rollback.
 */
public record PromotionRecord(Optional<String> from, String to, String revision, String trigger, Instant at) {
    public static final String ROLLBACK = "rollback";

    public static Path path(HostLayout layout) {
        return layout.run().resolve("promotion.json");
    }

    /** Whether this move is what the host serves now: live is still {@code to}. */
    public boolean describes(Optional<String> live) {
        return live.equals(Optional.of(to));
    }

    public boolean automatic() {
        return trigger.equals(ROLLBACK);
    }
}
