package dev.regent.reconcile;

import dev.regent.apply.Provenance;
import dev.regent.failure.Causes;
import dev.regent.gitops.DesiredSource;
import dev.regent.gitops.Revision;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The loop of `regent run`: on each trigger, read the desired state, converge the host, report.
 * No exception a pass throws ends the loop: it is logged naming the step, shown by
 * {@link LoopHealth}, and the pass is tried again after a {@link Backoff} delay.
 */
public final class RunLoop {
    private static final Logger LOG = LoggerFactory.getLogger("regent.run");

    /** What the loop tells the rest of the operator. Either call may throw; the pass then fails. */
    public interface Reports {
        /** The pass starts converging {@code revision}. */
        void working(Revision revision);

        /** Converging {@code revision} ended in {@code outcome}, already told to the source. */
        void reconciled(Revision revision, Outcome outcome);
    }

    private final DesiredSource source;
    private final Reconciler reconciler;
    private final TriggerQueue triggers;
    private final Reports reports;
    private final LoopHealth health;
    private final Consumer<Duration> retryAfter;
    private final Clock clock;
    private final Backoff backoff = new Backoff();

    /** retryAfter: asks for one more pass after the delay (fires {@code triggers} then, without blocking). */
    public RunLoop(DesiredSource source, Reconciler reconciler, TriggerQueue triggers, Reports reports,
                   LoopHealth health, Consumer<Duration> retryAfter, Clock clock) {
        this.source = source;
        this.reconciler = reconciler;
        this.triggers = triggers;
        this.reports = reports;
        this.health = health;
        this.retryAfter = retryAfter;
        this.clock = clock;
    }

    /** Runs a pass per trigger until interrupted; with {@code untilConverged}, returns after the first that converges. */
    public void run(boolean untilConverged) throws InterruptedException {
        health.running();
        try {
            while (true) {
                if (triggers.await(Duration.ofMinutes(5)) == null) {
                    continue;
                }
                if (pass().filter(Outcome.Converged.class::isInstance).isPresent() && untilConverged) {
                    return;
                }
            }
        } finally {
            health.stopped();
        }
    }

    /** One pass; never throws a RuntimeException. Its outcome, or empty when it failed or had no valid state yet. */
    public Optional<Outcome> pass() {
        String step = "read the desired state";
        try {
            Optional<Revision> revision = source.current();
            if (revision.isEmpty()) {
                health.passed();
                return Optional.empty();
            }
            step = "note the revision " + revision.get().shortId();
            reports.working(revision.get());
            step = "converge revision " + revision.get().shortId();
            Outcome outcome = reconciler.reconcile(revision.get().state(), Provenance.ofRun(revision.get().id()),
                    triggers::pending);
            step = "save the source's status";
            source.reconciled(revision.get(), outcome);
            step = "record the outcome";
            reports.reconciled(revision.get(), outcome);
            health.passed();
            if (outcome instanceof Outcome.Failed f && f.retryable()) {
                retry();
            } else {
                backoff.reset();
            }
            return Optional.of(outcome);
        } catch (RuntimeException e) {
            String reason = e.getClass().getSimpleName() + ": " + Causes.of(e);
            health.failed(step, reason, clock.instant());
            LoopHealth.Failure failure = health.failing().orElseThrow();
            if (failure.inARow() == 1) {
                LOG.error(failure.describe(), e);
            } else {
                LOG.error(failure.describe());
            }
            retry();
            return Optional.empty();
        }
    }

    private void retry() {
        Duration delay = backoff.failed();
        LOG.warn("retrying in {} s", delay.toSeconds());
        retryAfter.accept(delay);
    }
}
