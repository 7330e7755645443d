package dev.regent.reconcile;

import dev.regent.apply.ActionResult;
import dev.regent.plan.Action;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Asks for a pass when a plan says planning again may answer differently (the analysis of a new live
 * build judges its next interval then), so a bad build is swapped back within interval x failureLimit
 * plus a second, however long the resync period. One wake is pending at a time: the earliest asked for.
 */
public final class AnalysisWake implements ReconcileListener {
    private final ScheduledExecutorService scheduler;
    private final TriggerQueue queue;
    private final Clock clock;
    private Instant pending = Instant.MIN;

    public AnalysisWake(ScheduledExecutorService scheduler, TriggerQueue queue, Clock clock) {
        this.scheduler = scheduler;
        this.queue = queue;
        this.clock = clock;
    }

    @Override
    public synchronized void lookAgainAt(Instant at) {
        Instant now = clock.instant();
        if (pending.isAfter(now) && !pending.isAfter(at)) {
            return;
        }
        pending = at;
        long delay = Math.max(0, Duration.between(now, at).toMillis());
        scheduler.schedule(() -> queue.nudge("analysis"), delay, TimeUnit.MILLISECONDS);
    }

    @Override
    public void starting(Action action) {
    }

    @Override
    public void finished(Action action, ActionResult result, Duration took) {
    }

    @Override
    public void drift(Action action) {
    }

    @Override
    public void progress(String message) {
    }

    @Override
    public void ended(Outcome outcome) {
    }
}
