package dev.regent.events;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Something that happened to a promotion, told once by the operator to every {@link PromotionEvents}
 * sink (history, notifications). {@code revision}: the commit id, or "file:<sha256 of the file>"
 * for a desired-state file. {@code trigger}: file, git, cli, approval or rollback.
 */
public record PromotionEvent(Kind kind, Instant at, String revision, Optional<String> signer, Optional<String> from,
                             Optional<String> to, String trigger, Optional<Duration> took, String reason) {
    public enum Kind { STARTED, SUCCEEDED, FAILED, ROLLED_BACK, BUILD_FAILED, APPROVAL_WAITING }

    /** The key a notice is sent once for. */
    public String dedupeKey() {
        return kind + " " + revision + " " + to.orElse("-");
    }
}
