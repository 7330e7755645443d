package dev.regent.history;

import dev.regent.events.PromotionEvent;
import java.time.Instant;
import java.util.Optional;

/**
 * One line of the promotion history. {@code result}: succeeded, failed or rolled back;
 * {@code trigger}: file, git, cli, approval or rollback; {@code signer}: who signed the commit,
 * when it was signed.
 */
public record HistoryEntry(Instant at, String revision, Optional<String> signer, Optional<String> from,
                           Optional<String> to, String trigger, Optional<Long> durationMillis, String result,
                           String reason) {
    public static final String SUCCEEDED = "succeeded";
    public static final String FAILED = "failed";
    public static final String ROLLED_BACK = "rolled back";

    /** The entry an event ends in; empty for events that end nothing (started, approval waiting). */
    public static Optional<HistoryEntry> of(PromotionEvent event) {
        Optional<String> result = switch (event.kind()) {
            case SUCCEEDED -> Optional.of(SUCCEEDED);
            case FAILED, BUILD_FAILED -> Optional.of(FAILED);
            case ROLLED_BACK -> Optional.of(ROLLED_BACK);
            case STARTED, APPROVAL_WAITING -> Optional.empty();
        };
        return result.map(r -> new HistoryEntry(event.at(), event.revision(), event.signer(), event.from(), event.to(),
                event.trigger(), event.took().map(java.time.Duration::toMillis), r, event.reason()));
    }

    HistoryEntry withSigner(Optional<String> found) {
        return new HistoryEntry(at, revision, found, from, to, trigger, durationMillis, result, reason);
    }

    HistoryEntry withReason(String text) {
        return new HistoryEntry(at, revision, signer, from, to, trigger, durationMillis, result, text);
    }
}
