package dev.regent.apply;

import dev.regent.fleet.Coordinator;
import dev.regent.fleet.FleetUnavailable;
import dev.regent.fleet.Halt;
import dev.regent.observe.SlotLedger;
import dev.regent.plan.Action.HaltRollout;
import dev.regent.plan.Action.QueueForRollout;
import dev.regent.plan.Action.ReleaseRolloutSlot;
import java.time.Clock;
import java.util.Optional;

/**
 * The effects of a fleet's rollout on its store, through the {@link Coordinator} port: join a
 * revision's slot queue, write its halt, release a slot. A store that does not answer fails the
 * action retryably; nothing is assumed done. Without a store ({@link #NONE}) each action fails.
 */
public final class FleetSteps {
    public static final FleetSteps NONE = new FleetSteps(Optional.empty(), "", new SlotLedger(), Clock.systemUTC());
    private final Optional<Coordinator> coordinator;
    private final String host;
    private final SlotLedger ledger;
    private final Clock clock;

    public FleetSteps(Coordinator coordinator, String host, SlotLedger ledger, Clock clock) {
        this(Optional.of(coordinator), host, ledger, clock);
    }

    private FleetSteps(Optional<Coordinator> coordinator, String host, SlotLedger ledger, Clock clock) {
        this.coordinator = coordinator;
        this.host = host;
        this.ledger = ledger;
        this.clock = clock;
    }

    ActionResult queue(QueueForRollout a) {
        if (coordinator.isEmpty()) {
            return noStore();
        }
        ledger.joined(a.revision());
        try {
            boolean holds = coordinator.get().queue(a.revision(), a.maxParallel());
            return ActionResult.done(holds ? "holds a rollout slot" : "queued; waits for a rollout slot");
        } catch (FleetUnavailable e) {
            return unavailable(e);
        }
    }

    /** The ledger forgets the revision only once the store confirmed: an unconfirmed release is tried again. */
    ActionResult release(ReleaseRolloutSlot a) {
        if (coordinator.isEmpty()) {
            return noStore();
        }
        try {
            coordinator.get().release(a.revision());
            ledger.left(a.revision());
            return ActionResult.done("released");
        } catch (FleetUnavailable e) {
            return unavailable(e);
        }
    }

    ActionResult halt(HaltRollout a) {
        if (coordinator.isEmpty()) {
            return noStore();
        }
        try {
            Halt standing = coordinator.get().halt(new Halt(a.revision(), host, a.reason(), clock.instant()));
            return ActionResult.done(standing.host().equals(host) && standing.reason().equals(a.reason())
                    ? "halted" : "already halted by " + standing.host() + ": " + standing.reason());
        } catch (FleetUnavailable e) {
            return unavailable(e);
        }
    }

    private static ActionResult unavailable(FleetUnavailable e) {
        return ActionResult.failed("the fleet store is unavailable: " + e.getMessage());
    }

    private static ActionResult noStore() {
        return ActionResult.failedForGood("this host has no fleet store to coordinate with");
    }
}
