package dev.regent.fleet;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A fleet store in memory, for unit tests of the rollout and of the loop's own logic: {@link Fleet}
 * is the store every host shares, {@link Fleet#coordinatorFor} one host's port. Same semantics as
 * the etcd design: a queue ordered by first arrival whose first maxParallel hold slots, halts written
 * once, one migration lead per key, and a host's record, slots and lead gone when its lease goes
 * (close, or {@link Fleet#kill}); after a kill its coordinator answers nothing, as a host whose lease
 * expired can write nothing under it. It claims no etcd timing (lease expiry, a quorum lost mid-call).
 */
public final class InMemoryCoordinator implements Coordinator {
    private final Fleet fleet;
    private final String host;

    private InMemoryCoordinator(Fleet fleet, String host) {
        this.fleet = fleet;
        this.host = host;
    }

    /**
     * The shared store; every operation of a coordinator is atomic under its monitor. Its state is
     * public for tests to arrange and inspect (from one thread, or holding the monitor).
     */
    public static final class Fleet {
        public final Map<String, HostRecord> records = new HashMap<>();
        /** Each revision's slot queue, hosts in order of arrival. */
        public final Map<String, List<String>> queues = new HashMap<>();
        public final Map<String, Halt> halts = new HashMap<>();
        public final Map<String, String> migrationLeads = new HashMap<>();
        public final Map<String, MigrationRun> migrationResults = new HashMap<>();
        /** Every record any host published, in order. */
        public final List<HostRecord> published = new ArrayList<>();
        private final Set<String> dead = new HashSet<>();
        private final Map<String, Runnable> afterNextView = new HashMap<>();
        private boolean unavailable;

        public synchronized Coordinator coordinatorFor(String host) {
            dead.remove(host);
            return new InMemoryCoordinator(this, host);
        }

        /** The host dies: its lease expires with its record, slots and migration lead. */
        public synchronized void kill(String host) {
            dead.add(host);
            dropLeased(host);
        }

        /** While true, every call of every coordinator throws FleetUnavailable, as without a quorum. */
        public synchronized void unavailable(boolean unavailable) {
            this.unavailable = unavailable;
        }

        /** Runs hook once, right after host's next view is read, to interleave other hosts' steps there. */
        public synchronized void afterNextView(String host, Runnable hook) {
            afterNextView.put(host, hook);
        }

        public synchronized List<String> slotQueue(String revision) {
            return List.copyOf(queues.getOrDefault(revision, List.of()));
        }

        public synchronized Optional<Halt> halt(String revision) {
            return Optional.ofNullable(halts.get(revision));
        }

        public synchronized Optional<HostRecord> record(String host) {
            return Optional.ofNullable(records.get(host));
        }

        private void dropLeased(String host) {
            records.remove(host);
            queues.values().forEach(queue -> queue.remove(host));
            migrationLeads.values().removeIf(host::equals);
        }

        private void answerFor(String host) throws FleetUnavailable {
            if (unavailable) {
                throw new FleetUnavailable("no answer within 2 s");
            }
            if (dead.contains(host)) {
                throw new FleetUnavailable("the lease of " + host + " expired");
            }
        }
    }

    @Override
    public void publish(HostRecord record) throws FleetUnavailable {
        synchronized (fleet) {
            fleet.answerFor(host);
            fleet.records.put(host, record);
            fleet.published.add(record);
        }
    }

    @Override
    public FleetView view(String revision) throws FleetUnavailable {
        FleetView view;
        Runnable hook;
        synchronized (fleet) {
            fleet.answerFor(host);
            view = new FleetView(new LinkedHashMap<>(fleet.records), fleet.slotQueue(revision), fleet.halt(revision));
            hook = fleet.afterNextView.remove(host);
        }
        if (hook != null) {
            hook.run();
        }
        return view;
    }

    @Override
    public boolean queue(String revision, int maxParallel) throws FleetUnavailable {
        synchronized (fleet) {
            fleet.answerFor(host);
            List<String> queue = fleet.queues.computeIfAbsent(revision, r -> new ArrayList<>());
            if (!queue.contains(host)) {
                queue.add(host);
            }
            return queue.indexOf(host) < maxParallel;
        }
    }

    @Override
    public void release(String revision) throws FleetUnavailable {
        synchronized (fleet) {
            fleet.answerFor(host);
            Optional.ofNullable(fleet.queues.get(revision)).ifPresent(queue -> queue.remove(host));
        }
    }

    @Override
    public Halt halt(Halt halt) throws FleetUnavailable {
        synchronized (fleet) {
            fleet.answerFor(host);
            return fleet.halts.computeIfAbsent(halt.revision(), r -> halt);
        }
    }

    @Override
    public boolean leadMigration(String revision) throws FleetUnavailable {
        synchronized (fleet) {
            fleet.answerFor(host);
            return fleet.migrationLeads.computeIfAbsent(revision, r -> host).equals(host);
        }
    }

    @Override
    public Optional<MigrationRun> migrationResult(String revision) throws FleetUnavailable {
        synchronized (fleet) {
            fleet.answerFor(host);
            return Optional.ofNullable(fleet.migrationResults.get(revision));
        }
    }

    @Override
    public void recordMigration(MigrationRun run) throws FleetUnavailable {
        synchronized (fleet) {
            fleet.answerFor(host);
            fleet.migrationResults.put(run.revision(), run);
            fleet.migrationLeads.remove(run.revision(), host);
        }
    }

    /** Revokes the lease: the host's record, slots and migration lead go at once. */
    @Override
    public void close() {
        synchronized (fleet) {
            if (!fleet.dead.contains(host)) {
                fleet.dropLeased(host);
            }
        }
    }
}
