package dev.regent.reconcile;

import dev.regent.apply.ActionResult;
import dev.regent.plan.Action;
import java.time.Duration;
import java.util.List;

/** Several listeners as one. */
public record Listeners(List<ReconcileListener> all) implements ReconcileListener {
    public static Listeners of(ReconcileListener... listeners) {
        return new Listeners(List.of(listeners));
    }

    public void starting(Action action) {
        all.forEach(l -> l.starting(action));
    }

    public void finished(Action action, ActionResult result, Duration took) {
        all.forEach(l -> l.finished(action, result, took));
    }

    public void drift(Action action) {
        all.forEach(l -> l.drift(action));
    }

    public void progress(String message) {
        all.forEach(l -> l.progress(message));
    }

    public void ended(Outcome outcome) {
        all.forEach(l -> l.ended(outcome));
    }
}
