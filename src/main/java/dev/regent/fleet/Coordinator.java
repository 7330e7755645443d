package dev.regent.fleet;

import java.util.Optional;

/**
 * The port to the fleet store (etcd). One instance per host; everything it writes for its host
 * lives under one lease that it keeps alive, so a dead host's record and slot disappear when
 * the lease expires. Every call either answers from a quorum or throws {@link FleetUnavailable}
 * within a bounded time; none blocks indefinitely.
 */
public interface Coordinator extends AutoCloseable {

    /** Writes (replaces) this host's record under its lease. */
    void publish(HostRecord record) throws FleetUnavailable;

    /** Reads every live host's record, the slot queue of revision and its halt. */
    FleetView view(String revision) throws FleetUnavailable;

    /**
     * Joins the slot queue of revision (idempotent: a host already queued keeps its place) and
     * answers whether this host is among the first maxParallel of the queue, i.e. holds a slot.
     */
    boolean queue(String revision, int maxParallel) throws FleetUnavailable;

    /** Leaves the slot queue of revision, freeing a slot if it held one. Idempotent. */
    void release(String revision) throws FleetUnavailable;

    /**
     * Writes the halt of its revision unless one exists (a transaction); answers the halt that
     * stands, this one or the earlier one.
     */
    Halt halt(Halt halt) throws FleetUnavailable;

    /**
     * Tries to become the one host that runs revision's migration (an etcd lock under this
     * host's lease); true when this host leads. A leader that dies loses it with its lease.
     */
    boolean leadMigration(String revision) throws FleetUnavailable;

    /** The recorded result of revision's migration, if its leader recorded one. */
    Optional<MigrationRun> migrationResult(String revision) throws FleetUnavailable;

    /** Records revision's migration result (kept without lease) and gives up the lead. */
    void recordMigration(MigrationRun run) throws FleetUnavailable;

    @Override
    void close();
}
