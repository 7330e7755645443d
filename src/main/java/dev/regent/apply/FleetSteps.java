package dev.regent.apply;

import dev.regent.fleet.Coordinator;
import dev.regent.fleet.FleetUnavailable;
import dev.regent.fleet.Halt;
import dev.regent.fleet.MigrationRun;
import dev.regent.observe.MigrationLedger;
import dev.regent.observe.SlotLedger;
import dev.regent.plan.Action.HaltRollout;
import dev.regent.plan.Action.LeadMigration;
import dev.regent.plan.Action.Migrate;
import dev.regent.plan.Action.QueueForRollout;
import dev.regent.plan.Action.RecordMigration;
import dev.regent.plan.Action.ReleaseRolloutSlot;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Function;

/**
 * The effects of a fleet's rollout on its store, through the {@link Coordinator} port: join a
 * revision's slot queue, write its halt, release a slot; take the lead of a migration, run it as the
 * leader and record its result for the fleet (the answers kept in the {@link MigrationLedger}). A store that does not answer fails the
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

    /** Either answer is done: the next plan migrates (this host leads) or waits for the leader's result. */
    ActionResult lead(LeadMigration a) {
        if (coordinator.isEmpty()) {
            return noStore();
        }
        try {
            if (coordinator.get().leadMigration(a.key())) {
                ledger.migrations().led(a.key());
                return ActionResult.done("this host leads the migration " + a.key());
            }
            ledger.migrations().lost(a.key(), clock.instant());
            return ActionResult.done("another host of the fleet leads the migration " + a.key() + "; this host waits for its result");
        } catch (FleetUnavailable e) {
            return unavailable(e);
        }
    }

    /**
     * The release phase of a migration this host leads ({@code a.fleetKey()}), run by {@code release}
     * once the lead is confirmed (it goes with a lease that expired), then its result recorded for the
     * fleet, a failure as well. A failure worth retrying here (the database or the container away) is
     * not recorded: the lead stays and the phase runs again. A result the store did not take stays in
     * the ledger and is recorded by a later {@link RecordMigration}.
     */
    ActionResult migrate(Migrate a, Function<Migrate, ActionResult> release) {
        if (coordinator.isEmpty()) {
            return noStore();
        }
        String key = a.fleetKey().orElseThrow();
        MigrationLedger leads = ledger.migrations();
        try {
            if (!coordinator.get().leadMigration(key)) {
                leads.lost(key, clock.instant());
                return ActionResult.failed("another host of the fleet took the lead of the migration " + key
                        + " (this host's lease expired); this host waits for its result");
            }
        } catch (FleetUnavailable e) {
            return unavailable(e);
        }
        ActionResult result = release.apply(a);
        if (result instanceof ActionResult.Failed failed && failed.retryable()) {
            return result;
        }
        boolean succeeded = result instanceof ActionResult.Done;
        String output = result instanceof ActionResult.Done done ? done.detail() : ((ActionResult.Failed) result).reason();
        MigrationRun run = new MigrationRun(key, host, succeeded, output, clock.instant());
        leads.ran(run);
        try {
            coordinator.get().recordMigration(run);
            leads.recorded(key);
        } catch (FleetUnavailable e) {
            return succeeded ? ActionResult.failed("migrated, but the fleet store did not take the result, which the"
                    + " other hosts wait for (it is recorded again): " + e.getMessage()) : result;
        }
        return result;
    }

    ActionResult record(RecordMigration a) {
        if (coordinator.isEmpty()) {
            return noStore();
        }
        try {
            coordinator.get().recordMigration(a.run());
            ledger.migrations().recorded(a.run().revision());
            return ActionResult.done("recorded");
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
