package dev.regent.fleet;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A Coordinator for `regent run`, which starts before it knows its fleet (the desired state comes
 * from the file or git later) and must start even when the fleet store is down. It connects on
 * the first call that has a fleet, reconnects when the fleet's name or slot TTL changes, and after
 * a failed connect tries again on the next call; until connected every call throws
 * {@link FleetUnavailable}, so no live moves.
 */
public final class ConnectingCoordinator implements Coordinator {

    /** Connects this host to a fleet's store with its records under a lease of {@code ttl}. */
    @FunctionalInterface
    public interface Connector {
        Coordinator connect(String fleet, Duration ttl) throws FleetUnavailable;
    }

    /** The fleet being followed: its name (the desired state's) and its slot TTL. */
    public record Fleet(String name, Duration ttl) {
    }

    private final Connector connector;
    private final Supplier<Optional<Fleet>> fleet;
    private Optional<Fleet> connectedTo = Optional.empty();
    private Coordinator connected;

    public ConnectingCoordinator(Connector connector, Supplier<Optional<Fleet>> fleet) {
        this.connector = connector;
        this.fleet = fleet;
    }

    private synchronized Coordinator store() throws FleetUnavailable {
        Optional<Fleet> wanted = fleet.get();
        if (wanted.isEmpty()) {
            throw new FleetUnavailable("no fleet file applied yet");
        }
        if (connected != null && connectedTo.equals(wanted)) {
            return connected;
        }
        if (connected != null) {
            connected.close();
            connected = null;
        }
        connected = connector.connect(wanted.get().name(), wanted.get().ttl());
        connectedTo = wanted;
        return connected;
    }

    @Override
    public void publish(HostRecord record) throws FleetUnavailable {
        store().publish(record);
    }

    @Override
    public FleetView view(String revision) throws FleetUnavailable {
        return store().view(revision);
    }

    @Override
    public boolean queue(String revision, int maxParallel) throws FleetUnavailable {
        return store().queue(revision, maxParallel);
    }

    @Override
    public void release(String revision) throws FleetUnavailable {
        store().release(revision);
    }

    @Override
    public Halt halt(Halt halt) throws FleetUnavailable {
        return store().halt(halt);
    }

    @Override
    public boolean leadMigration(String revision) throws FleetUnavailable {
        return store().leadMigration(revision);
    }

    @Override
    public Optional<MigrationRun> migrationResult(String revision) throws FleetUnavailable {
        return store().migrationResult(revision);
    }

    @Override
    public void recordMigration(MigrationRun run) throws FleetUnavailable {
        store().recordMigration(run);
    }

    @Override
    public synchronized void close() {
        if (connected != null) {
            connected.close();
            connected = null;
        }
    }
}
