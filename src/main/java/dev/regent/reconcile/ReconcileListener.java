package dev.regent.reconcile;

import dev.regent.apply.ActionResult;
import dev.regent.plan.Action;
import java.time.Duration;

/** What a reconcile reports while it works. */
public interface ReconcileListener {
    void starting(Action action);

    void finished(Action action, ActionResult result, Duration took);

    void drift(Action action);

    void progress(String message);

    void ended(Outcome outcome);

    /** Planning again at {@code at} may give another answer with nothing else changed (an analysis judges its next interval). */
    default void lookAgainAt(java.time.Instant at) {
    }
}
