package dev.regent.fleet;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A coordinator over a {@link Fleet} in memory, for unit tests of the rollout logic. Same
 * semantics as the etcd design: a queue ordered by first arrival whose first maxParallel hold
 * slots, halts written once, and a host's record, slots and migration lead gone when its lease
 * goes (close, or {@link Fleet#kill}). After a kill its coordinator answers nothing, as a host
 * whose lease expired can write nothing under it.
 */
public final class InMemoryCoordinator implements Coordinator {
    private final Fleet fleet;
    private final String host;

    private InMemoryCoordinator(Fleet fleet, String host) {
        this.fleet = fleet;
        this.host = host;
    }

    /** The shared store; thread-safe, every operation atomic. */
    public static final class Fleet {
        private final Map<String, HostRecord> records = new HashMap<>();
        private final Map<String, LinkedHashSet<String>> queues = new HashMap<>();
        private final Map<String, Halt> halts = new HashMap<>();
        private final Map<String, String> migrationLeads = new HashMap<>();
        private final Map<String, MigrationRun> migrationResults = new HashMap<>();
        private final Set<String> dead = new HashSet<>();
        private final Map<String, Runnable> afterNextView = new HashMap<>();
        private boolean unavailable;

        public Coordinator coordinatorFor(String host) {
            synchronized (this) {
                dead.remove(host);
            }
            return new InMemoryCoordinator(this, host);
        }

        /** The host dies: its lease expires with its record, slots and migration lead. */
        public synchronized void kill(String host) {
            dead.add(host);
            dropLeased(host);
        }

        /** While true, every call of every coordinator throws FleetUnavailable (no quorum). */
        public synchronized void unavailable(boolean unavailable) {
            this.unavailable = unavailable;
        }

        /** Runs hook once, right after host's next view is read, to interleave other hosts' steps there. */
        public synchronized void afterNextView(String host, Runnable hook) {
            afterNextView.put(host, hook);
        }

        public synchronized List<String> slotQueue(String revision) {
            return List.copyOf(queues.getOrDefault(revision, new LinkedHashSet<>()));
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
                throw new FleetUnavailable("no quorum (in-memory fleet made unavailable)");
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
        }
    }

    @Override
    public FleetView view(String revision) throws FleetUnavailable {
        FleetView view;
        Runnable hook;
        synchronized (fleet) {
            fleet.answerFor(host);
            view = new FleetView(new LinkedHashMap<>(fleet.records), new ArrayList<>(fleet.slotQueue(revision)),
                    fleet.halt(revision));
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
            LinkedHashSet<String> queue = fleet.queues.computeIfAbsent(revision, r -> new LinkedHashSet<>());
            queue.add(host);
            return new ArrayList<>(queue).subList(0, Math.min(maxParallel, queue.size())).contains(host);
        }
    }

    @Override
    public void release(String revision) throws FleetUnavailable {
        synchronized (fleet) {
            fleet.answerFor(host);
            fleet.queues.getOrDefault(revision, new LinkedHashSet<>()).remove(host);
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
