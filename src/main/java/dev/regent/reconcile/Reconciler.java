package dev.regent.reconcile;

import dev.regent.apply.ActionResult;
import dev.regent.apply.Executor;
import dev.regent.apply.Provenance;
import dev.regent.events.PromotionEvents;
import dev.regent.docker.DockerPort.DockerUnavailable;
import dev.regent.failure.Causes;
import dev.regent.observe.ObservedHost;
import dev.regent.plan.Action;
import dev.regent.plan.Plan;
import dev.regent.plan.Plans;
import dev.regent.spec.DesiredState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Converges the host one action at a time: observe, plan, apply the first action, observe again.
 * Every decision rests on a fresh observation, so a crash anywhere is finished by the next run.
 */
public final class Reconciler {
    private static final int MAX_ACTIONS = 500;
    private final Function<DesiredState, ObservedHost> observe;
    private final BiFunction<DesiredState, Provenance, Executor> executors;
    private final ReconcileListener listener;
    private final Clock clock;
    private final PromotionTeller teller;
    private final FleetLink fleet;
    private Optional<DesiredState> lastConverged = Optional.empty();

    public Reconciler(Function<DesiredState, ObservedHost> observe, Function<DesiredState, Executor> executors,
                      ReconcileListener listener, Clock clock) {
        this(observe, (desired, provenance) -> executors.apply(desired), listener, clock, PromotionEvents.NONE);
    }

    /** events: told of every live move, rollback, failed build and approval wait (see {@link PromotionTeller}). */
    public Reconciler(Function<DesiredState, ObservedHost> observe, BiFunction<DesiredState, Provenance, Executor> executors,
                      ReconcileListener listener, Clock clock, PromotionEvents events) {
        this(observe, executors, listener, clock, events, FleetLink.NONE);
    }

    /** fleet: this host's part in its fleet (the rollout's turn in each observation, its record after each plan). */
    public Reconciler(Function<DesiredState, ObservedHost> observe, BiFunction<DesiredState, Provenance, Executor> executors,
                      ReconcileListener listener, Clock clock, PromotionEvents events, FleetLink fleet) {
        this.fleet = fleet;
        this.observe = observe;
        this.executors = executors;
        this.listener = listener;
        this.clock = clock;
        this.teller = new PromotionTeller(events, clock);
    }

    /** Converges the desired-state file as it is now, as the command line does. */
    public synchronized Outcome reconcile(DesiredState desired) {
        return reconcile(desired, Provenance.ofFile(desired.file(), "cli"), () -> false);
    }

    public synchronized Outcome reconcile(DesiredState desired, java.util.function.BooleanSupplier superseded) {
        return reconcile(desired, Provenance.ofFile(desired.file(), "cli"), superseded);
    }

    /** Converges {@code desired} (from {@code provenance}), stopping between actions once {@code superseded} says so. */
    public synchronized Outcome reconcile(DesiredState desired, Provenance provenance,
                                          java.util.function.BooleanSupplier superseded) {
        Outcome outcome = converge(desired, provenance, superseded);
        lastConverged = outcome instanceof Outcome.Converged ? Optional.of(desired) : Optional.empty();
        listener.ended(outcome);
        return outcome;
    }

    private Outcome converge(DesiredState desired, Provenance provenance, java.util.function.BooleanSupplier superseded) {
        boolean wasConverged = lastConverged.filter(desired::equals).isPresent();
        Executor executor = executors.apply(desired, provenance);
        Optional<Action> previous = Optional.empty();
        for (int applied = 0; applied < MAX_ACTIONS; applied++) {
            Plan plan;
            ObservedHost observed;
            try {
                observed = fleet.observe(desired, provenance.revision(), observe.apply(desired));
                plan = Plans.now(desired, observed, clock);
            } catch (DockerUnavailable e) {
                return new Outcome.Failed("observe the host", e.getMessage(), true, applied);
            } catch (RuntimeException e) {
                // An unreadable folder or a full disk: the host may read again after the backoff.
                return new Outcome.Failed("observe the host", e.getClass().getSimpleName() + ": " + Causes.of(e), true, applied);
            }
            fleet.publish(desired, provenance.revision(), observed, plan);
            if (!plan.errors().isEmpty()) {
                return new Outcome.Invalid(plan.errors(), applied);
            }
            Optional<Action> next = plan.next();
            if (next.isEmpty()) {
                plan.lookAgainAt().ifPresent(listener::lookAgainAt);
                teller.blocked(plan.blocked(), observed.live(), desired.live(), provenance);
                return plan.blocked().isEmpty() ? new Outcome.Converged(applied) : new Outcome.Blocked(plan.blocked(), applied);
            }
            Action action = next.get();
            if (applied > 0 && superseded.getAsBoolean()) {
                return new Outcome.Superseded(applied);
            }
            if (previous.filter(action::equals).isPresent()) {
                return new Outcome.Failed(action.describe(), "the action reported success but the host still needs it", false, applied);
            }
            // A rollback of a failed analysis is the loop's own decision, not a drift of the host.
            if (applied == 0 && wasConverged && !(action instanceof Action.RollBack)) {
                listener.drift(action);
            }
            listener.starting(action);
            teller.starting(action, provenance);
            Instant start = clock.instant();
            ActionResult result;
            try {
                result = executor.apply(action);
            } catch (DockerUnavailable e) {
                result = ActionResult.failed(e.getMessage());
            } catch (RuntimeException e) {
                result = ActionResult.failed(e.getClass().getSimpleName() + ": " + e.getMessage());
            }
            Duration took = Duration.between(start, clock.instant());
            listener.finished(action, result, took);
            teller.finished(action, result, took, provenance);
            if (result instanceof ActionResult.Failed f) {
                return new Outcome.Failed(action.describe(), f.reason(), f.retryable(), applied + 1);
            }
            previous = Optional.of(action);
        }
        return new Outcome.Failed("converge", "gave up after " + MAX_ACTIONS + " actions", true, MAX_ACTIONS);
    }
}
