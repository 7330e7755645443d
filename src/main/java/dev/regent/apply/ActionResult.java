package dev.regent.apply;

/** What applying one action did: done (with what changed) or failed (with why). */
public sealed interface ActionResult {
    record Done(String detail) implements ActionResult {
    }

    /**
     * retryable: whether trying again soon (on the loop's backoff) may succeed. False when the failure
     * is recorded on the host and only a change of the desired state can help (a build step that
     * failed by itself); true for everything the host or a race may have caused.
     */
    record Failed(String reason, boolean retryable) implements ActionResult {
        public Failed(String reason) {
            this(reason, true);
        }
    }

    static ActionResult done(String detail) {
        return new Done(detail);
    }

    static ActionResult failed(String reason) {
        return new Failed(reason, true);
    }

    /** A failure that retrying cannot fix: it waits for a change of the desired state. */
    static ActionResult failedForGood(String reason) {
        return new Failed(reason, false);
    }
}
