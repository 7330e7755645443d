package dev.regent.plan;

import dev.regent.analysis.Analysis;
import dev.regent.analysis.Verdict;
import dev.regent.fleet.FleetSpec;
import dev.regent.fleet.RolloutDecision;
import dev.regent.observe.ObservedFleet;
import dev.regent.observe.ObservedHost;
import dev.regent.observe.Pin;
import dev.regent.plan.Action.HaltRollout;
import dev.regent.plan.Action.QueueForRollout;
import dev.regent.plan.Action.ReleaseRolloutSlot;
import dev.regent.plan.Action.ReloadNginx;
import dev.regent.plan.Action.RollBack;
import dev.regent.plan.Action.SwapLive;
import dev.regent.spec.DesiredState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A fleet's rollout, for the pure planner: live moves only when the rollout decision is MayMove (this
 * host holds a slot). Queue joins the slot queue once the build live moves to is ready; every other
 * decision keeps live where it is. After the move the slot is kept while the analysis of the new live
 * build runs, then released; a failed move or analysis halts the rollout first, then releases. A host
 * whose observation carries no fleet turn (no fleet, or no fleet store) is planned exactly as before.
 */
final class FleetGuard {
    /** How soon a host that waits for its turn asks the fleet store again. */
    static final Duration POLL = Duration.ofSeconds(2);

    private FleetGuard() {
    }

    /** {@code live}: the build live may move to now (empty holds it); {@code lookAgainAt}: when to ask the store again. */
    record Turn(Optional<String> live, Optional<Instant> lookAgainAt) {
    }

    /**
     * {@code wanted}: the build live would move to once the sync windows and the promotion gates had
     * their say; {@code ready}: the builds that are, or will be by earlier actions, healthy and warm.
     */
    static Turn gate(DesiredState desired, ObservedHost observed, Optional<String> wanted, Set<String> ready, Instant now,
                     List<Action> actions, List<BlockReason> blocked) {
        if (observed.fleet().isEmpty() || desired.fleet().isEmpty() || wanted.isEmpty() || wanted.equals(observed.live())) {
            return new Turn(wanted, Optional.empty());
        }
        ObservedFleet fleet = observed.fleet().get();
        RolloutDecision decision = fleet.decision();
        if (decision instanceof RolloutDecision.MayMove) {
            return new Turn(wanted, Optional.empty());
        }
        if (decision instanceof RolloutDecision.Queue && !fleet.queued()) {
            // A slot is taken only for a build that can move at once: it holds every other host back.
            if (ready.contains(wanted.get())) {
                actions.add(new QueueForRollout(wanted.get(), fleet.revision(), maxParallel(desired.fleet().get())));
            }
            return new Turn(Optional.empty(), Optional.empty());
        }
        blocked.add(new BlockReason(code(decision), "live stays at " + observed.live().orElse("(none)") + ", not build "
                + wanted.get() + ": " + decision.message()));
        boolean waits = decision instanceof RolloutDecision.Queue || decision instanceof RolloutDecision.WaitForPredecessors
                || decision instanceof RolloutDecision.Unavailable;
        return new Turn(Optional.empty(), waits ? Optional.of(now.plus(POLL)) : Optional.empty());
    }

    /**
     * The slots this host holds, planned once everything else is: a slot of a revision it no longer
     * applies is released; the slot of the revision it applies is kept while live still moves to it or
     * the analysis of the moved build runs, then released; after a failure the halt is written first
     * and the slot released once the halt stands. Nothing is decided before the move settled (no swap,
     * rollback or reload left in the plan), nor while the store does not answer.
     */
    static void slots(DesiredState desired, ObservedHost observed, Instant now, List<Action> actions) {
        Optional<ObservedFleet> turn = observed.fleet().filter(f -> f.view().isPresent());
        if (turn.isEmpty() || desired.fleet().isEmpty()) {
            return;
        }
        ObservedFleet fleet = turn.get();
        fleet.otherSlots().stream().sorted().forEach(r -> actions.add(new ReleaseRolloutSlot(r,
                "this host applies revision " + PromotionGuard.shortRevision(fleet.revision()) + " now")));
        boolean settling = actions.stream().anyMatch(a -> a instanceof SwapLive || a instanceof RollBack
                || a instanceof ReloadNginx || a instanceof QueueForRollout);
        if (!fleet.queued() || settling) {
            return;
        }
        Optional<String> failure = failure(desired, observed, now);
        if (failure.isPresent()) {
            actions.add(fleet.halt().isEmpty() ? new HaltRollout(fleet.revision(), failure.get())
                    : new ReleaseRolloutSlot(fleet.revision(), "the rollout is halted"));
            return;
        }
        boolean moved = desired.live().isEmpty() || desired.live().equals(observed.live());
        if (!moved) {
            RolloutDecision decision = fleet.decision();
            if (decision instanceof RolloutDecision.Halted || decision instanceof RolloutDecision.Paused) {
                actions.add(new ReleaseRolloutSlot(fleet.revision(), "live does not move: " + decision.message()));
            }
            return;
        }
        Optional<Verdict> verdict = Analysis.of(desired.promotion().analysis(), observed.promotion(), observed.live(), now);
        if (verdict.filter(Verdict.Running.class::isInstance).isEmpty()) {
            actions.add(new ReleaseRolloutSlot(fleet.revision(), "live is build " + observed.live().orElse("(none)")
                    + (verdict.isPresent() ? " and it passed its analysis" : "")));
        }
    }

    /** Why this host's move failed: its rollback pin, or an analysis that failed with nothing warm to roll back to. */
    private static Optional<String> failure(DesiredState desired, ObservedHost observed, Instant now) {
        Optional<String> pinned = desired.live().flatMap(observed.promotion()::pin).map(Pin::reason);
        if (pinned.isPresent()) {
            return pinned;
        }
        return Analysis.of(desired.promotion().analysis(), observed.promotion(), observed.live(), now)
                .filter(Verdict.Failed.class::isInstance).map(v -> ((Verdict.Failed) v).reason());
    }

    private static int maxParallel(FleetSpec fleet) {
        return fleet.rollout().maxParallel();
    }

    private static BlockCode code(RolloutDecision decision) {
        if (decision instanceof RolloutDecision.Halted) {
            return BlockCode.FLEET_HALTED;
        }
        if (decision instanceof RolloutDecision.Paused) {
            return BlockCode.FLEET_PAUSED;
        }
        if (decision instanceof RolloutDecision.Unavailable) {
            return BlockCode.FLEET_UNAVAILABLE;
        }
        return BlockCode.FLEET_WAITING;
    }
}
