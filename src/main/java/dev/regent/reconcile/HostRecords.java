package dev.regent.reconcile;

import dev.regent.fleet.HostRecord;
import dev.regent.fleet.RolloutDecision;
import dev.regent.observe.ObservedFleet;
import dev.regent.observe.ObservedHost;
import dev.regent.plan.Action;
import dev.regent.plan.BlockCode;
import dev.regent.plan.BlockReason;
import dev.regent.plan.Plan;
import dev.regent.spec.DesiredState;
import java.time.Instant;
import java.util.Optional;

/**
 * What a host tells its fleet about itself after a plan: pure. The state is the first that holds of
 * PAUSED (the fleet file pauses or drains it), FAILED (its move to the revision was rolled back, or its
 * analysis failed), MOVING (it holds a slot the plan does not give back now), CONVERGED (live is what
 * the revision asks for), WAITING.
 *
 * <p>The record is published before the plan's next action runs. A plan whose next action frees this
 * host's slot is already past its move: its record must not say MOVING, or the next host, which can
 * take the slot only after the release, could publish MOVING while this record still does.
 */
final class HostRecords {

    private HostRecords() {
    }

    static HostRecord of(String host, String revision, DesiredState desired, ObservedHost observed, Plan plan, Instant at) {
        return new HostRecord(host, revision, observed.live(), observed.stage(), state(host, desired, observed, plan),
                message(plan), at);
    }

    private static HostRecord.State state(String host, DesiredState desired, ObservedHost observed, Plan plan) {
        Optional<ObservedFleet> turn = observed.fleet();
        boolean paused = desired.fleet().flatMap(f -> f.hosts().stream().filter(h -> h.name().equals(host)).findFirst())
                .filter(h -> !h.movesLive()).isPresent()
                || turn.filter(t -> t.decision() instanceof RolloutDecision.Paused).isPresent();
        if (paused) {
            return HostRecord.State.PAUSED;
        }
        boolean failed = desired.live().flatMap(observed.promotion()::pin).isPresent()
                || plan.blocked().stream().map(BlockReason::code).anyMatch(c -> c == BlockCode.ANALYSIS_FAILED);
        if (failed) {
            return HostRecord.State.FAILED;
        }
        if (turn.filter(ObservedFleet::holdsSlot).filter(t -> !releasesSlot(plan, t.revision())).isPresent()) {
            return HostRecord.State.MOVING;
        }
        boolean liveAsAsked = desired.live().isEmpty() || desired.live().equals(observed.live());
        return liveAsAsked ? HostRecord.State.CONVERGED : HostRecord.State.WAITING;
    }

    private static boolean releasesSlot(Plan plan, String revision) {
        return plan.next().filter(a -> a instanceof Action.ReleaseRolloutSlot release && release.revision().equals(revision))
                .isPresent();
    }

    private static String message(Plan plan) {
        if (!plan.errors().isEmpty()) {
            return "the desired state is rejected: " + plan.errors().get(0);
        }
        if (!plan.blocked().isEmpty()) {
            return String.join("; ", plan.blockedMessages());
        }
        return plan.next().map(Action::describe).map(d -> "will " + d).orElse("converged");
    }
}
