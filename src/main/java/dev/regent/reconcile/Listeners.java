package dev.regent.reconcile;

import dev.regent.apply.ActionResult;
import dev.regent.plan.Action;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Several listeners as one. A listener that throws (a journal on a full disk) is logged and
 * skipped: reporting must never stop the loop that keeps the host serving.
 */
public record Listeners(List<ReconcileListener> all) implements ReconcileListener {
    private static final Logger LOG = LoggerFactory.getLogger("regent");

    public static Listeners of(ReconcileListener... listeners) {
        return new Listeners(List.of(listeners));
    }

    public void starting(Action action) {
        each(l -> l.starting(action));
    }

    public void finished(Action action, ActionResult result, Duration took) {
        each(l -> l.finished(action, result, took));
    }

    public void drift(Action action) {
        each(l -> l.drift(action));
    }

    public void progress(String message) {
        each(l -> l.progress(message));
    }

    public void ended(Outcome outcome) {
        each(l -> l.ended(outcome));
    }

    public void lookAgainAt(java.time.Instant at) {
        each(l -> l.lookAgainAt(at));
    }

    private void each(Consumer<ReconcileListener> call) {
        for (ReconcileListener listener : all) {
            try {
                call.accept(listener);
            } catch (RuntimeException e) {
                LOG.warn("could not report to {}: {}", listener.getClass().getSimpleName(), e.getMessage());
            }
        }
    }
}
