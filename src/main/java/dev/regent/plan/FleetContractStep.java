package dev.regent.plan;

import dev.regent.fleet.FleetHost;
import dev.regent.fleet.FleetSpec;
import dev.regent.fleet.FleetView;
import dev.regent.fleet.HostRecord;
import dev.regent.observe.MigrationRecord;
import dev.regent.observe.ObservedFleet;
import dev.regent.observe.ObservedHost;
import dev.regent.spec.DesiredState;
import java.util.Optional;

/**
 * For the pure planner: who runs a build's contract step in a fleet that shares one database, and
 * when. The contract step changes the schema the builds it waits out still read, so on a shared
 * database it must wait until no host of the fleet serves them, not only this one: it runs on the
 * host that migrated the build (the others adopted its migration and never run it), once every
 * other host's record says it serves the build live and none of the waited-out builds as stage.
 * A host without a record may still serve the old code, so it is waited for too.
 */
final class FleetContractStep {

    enum Turn {
        /** This host runs the step now (as a host alone would, outside a shared-database fleet). */
        RUN,
        /** Another host of the fleet still serves a build the step waits out, or the store did not answer. */
        WAIT,
        /** Another host migrated this build: the step is that host's. */
        MIGRATING_HOSTS
    }

    private FleetContractStep() {
    }

    static Turn of(DesiredState desired, ObservedHost observed, MigrationRecord migrated) {
        Optional<FleetSpec> shared = desired.fleet().filter(FleetSpec::migratesOnce);
        Optional<ObservedFleet> turn = observed.fleet();
        if (shared.isEmpty() || turn.isEmpty()) {
            return Turn.RUN;
        }
        if (migrated.migratedBy().isPresent()) {
            return Turn.MIGRATING_HOSTS;
        }
        Optional<FleetView> view = turn.get().view();
        if (view.isEmpty()) {
            return Turn.WAIT;
        }
        boolean othersMoved = shared.get().hosts().stream().map(FleetHost::name)
                .filter(host -> !host.equals(turn.get().host()))
                .allMatch(host -> servesOnly(view.get().hosts().get(host), migrated));
        return othersMoved ? Turn.RUN : Turn.WAIT;
    }

    private static boolean servesOnly(HostRecord record, MigrationRecord migrated) {
        return record != null && record.live().equals(Optional.of(migrated.build()))
                && record.stage().filter(migrated::waitsFor).isEmpty();
    }
}
