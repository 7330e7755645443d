package dev.regent.fleet;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/** Passes every call on to a coordinator and counts it (answered or not) in a shared counter. */
public final class CountingCoordinator implements Coordinator {
    private final Coordinator coordinator;
    private final AtomicLong calls;

    public CountingCoordinator(Coordinator coordinator, AtomicLong calls) {
        this.coordinator = coordinator;
        this.calls = calls;
    }

    public Coordinator counted() {
        return coordinator;
    }

    @Override
    public void publish(HostRecord record) throws FleetUnavailable {
        calls.incrementAndGet();
        coordinator.publish(record);
    }

    @Override
    public FleetView view(String revision) throws FleetUnavailable {
        calls.incrementAndGet();
        return coordinator.view(revision);
    }

    @Override
    public boolean queue(String revision, int maxParallel) throws FleetUnavailable {
        calls.incrementAndGet();
        return coordinator.queue(revision, maxParallel);
    }

    @Override
    public void release(String revision) throws FleetUnavailable {
        calls.incrementAndGet();
        coordinator.release(revision);
    }

    @Override
    public Halt halt(Halt halt) throws FleetUnavailable {
        calls.incrementAndGet();
        return coordinator.halt(halt);
    }

    @Override
    public boolean leadMigration(String revision) throws FleetUnavailable {
        calls.incrementAndGet();
        return coordinator.leadMigration(revision);
    }

    @Override
    public Optional<MigrationRun> migrationResult(String revision) throws FleetUnavailable {
        calls.incrementAndGet();
        return coordinator.migrationResult(revision);
    }

    @Override
    public void recordMigration(MigrationRun run) throws FleetUnavailable {
        calls.incrementAndGet();
        coordinator.recordMigration(run);
    }

    @Override
    public void close() {
        coordinator.close();
    }
}
