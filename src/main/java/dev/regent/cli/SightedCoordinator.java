package dev.regent.cli;

import dev.regent.fleet.Coordinator;
import dev.regent.fleet.FleetUnavailable;
import dev.regent.fleet.FleetView;
import dev.regent.fleet.Halt;
import dev.regent.fleet.HostRecord;
import dev.regent.fleet.MigrationRun;
import dev.regent.server.FleetSighting;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Consumer;

/** The fleet store, passing every call through and telling sightings each answer (or failure) of a view: what the loop saw. */
final class SightedCoordinator implements Coordinator {
    private final Coordinator store;
    private final String host;
    private final Consumer<FleetSighting> sightings;
    private final Clock clock;

    SightedCoordinator(Coordinator store, String host, Consumer<FleetSighting> sightings, Clock clock) {
        this.store = store;
        this.host = host;
        this.sightings = sightings;
        this.clock = clock;
    }

    @Override
    public FleetView view(String revision) throws FleetUnavailable {
        try {
            FleetView view = store.view(revision);
            sightings.accept(new FleetSighting(host, revision, Optional.of(view), Optional.empty(), clock.instant()));
            return view;
        } catch (FleetUnavailable e) {
            sightings.accept(new FleetSighting(host, revision, Optional.empty(), Optional.of(e.getMessage()), clock.instant()));
            throw e;
        }
    }

    @Override
    public void publish(HostRecord record) throws FleetUnavailable {
        store.publish(record);
    }

    @Override
    public boolean queue(String revision, int maxParallel) throws FleetUnavailable {
        return store.queue(revision, maxParallel);
    }

    @Override
    public void release(String revision) throws FleetUnavailable {
        store.release(revision);
    }

    @Override
    public Halt halt(Halt halt) throws FleetUnavailable {
        return store.halt(halt);
    }

    @Override
    public boolean leadMigration(String revision) throws FleetUnavailable {
        return store.leadMigration(revision);
    }

    @Override
    public Optional<MigrationRun> migrationResult(String revision) throws FleetUnavailable {
        return store.migrationResult(revision);
    }

    @Override
    public void recordMigration(MigrationRun run) throws FleetUnavailable {
        store.recordMigration(run);
    }

    @Override
    public void close() {
        store.close();
    }
}
