package dev.regent.apply;

import dev.regent.fleet.Coordinator;
import dev.regent.fleet.FleetUnavailable;
import dev.regent.fleet.FleetView;
import dev.regent.fleet.Halt;
import dev.regent.fleet.HostRecord;
import dev.regent.fleet.MigrationRun;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An in-memory fleet store for unit tests of the loop's own logic, shared by every host's view of it:
 * {@link #as(String)} is one host's port. It claims no etcd behaviour (leases, quorum, ordering under
 * races); {@code available = false} makes every call fail as an unreachable store does.
 */
public final class FakeCoordinator {
    public final Map<String, HostRecord> records = new HashMap<>();
    public final Map<String, List<String>> queues = new HashMap<>();
    public final Map<String, Halt> halts = new HashMap<>();
    public final List<HostRecord> published = new ArrayList<>();
    public final Map<String, String> migrationLeads = new HashMap<>();
    public final Map<String, MigrationRun> migrationResults = new HashMap<>();
    public boolean available = true;

    public synchronized Coordinator as(String host) {
        return new Coordinator() {
            public void publish(HostRecord record) throws FleetUnavailable {
                check();
                synchronized (FakeCoordinator.this) {
                    records.put(host, record);
                    published.add(record);
                }
            }

            public FleetView view(String revision) throws FleetUnavailable {
                check();
                synchronized (FakeCoordinator.this) {
                    return new FleetView(records, queues.getOrDefault(revision, List.of()),
                            Optional.ofNullable(halts.get(revision)));
                }
            }

            public boolean queue(String revision, int maxParallel) throws FleetUnavailable {
                check();
                synchronized (FakeCoordinator.this) {
                    List<String> queue = queues.computeIfAbsent(revision, r -> new ArrayList<>());
                    if (!queue.contains(host)) {
                        queue.add(host);
                    }
                    return queue.indexOf(host) < maxParallel;
                }
            }

            public void release(String revision) throws FleetUnavailable {
                check();
                synchronized (FakeCoordinator.this) {
                    queues.getOrDefault(revision, new ArrayList<>()).remove(host);
                }
            }

            public Halt halt(Halt halt) throws FleetUnavailable {
                check();
                synchronized (FakeCoordinator.this) {
                    return halts.computeIfAbsent(halt.revision(), r -> halt);
                }
            }

            public boolean leadMigration(String revision) throws FleetUnavailable {
                check();
                synchronized (FakeCoordinator.this) {
                    return migrationLeads.computeIfAbsent(revision, r -> host).equals(host);
                }
            }

            public Optional<MigrationRun> migrationResult(String revision) throws FleetUnavailable {
                check();
                synchronized (FakeCoordinator.this) {
                    return Optional.ofNullable(migrationResults.get(revision));
                }
            }

            public void recordMigration(MigrationRun run) throws FleetUnavailable {
                check();
                synchronized (FakeCoordinator.this) {
                    migrationResults.put(run.revision(), run);
                    migrationLeads.remove(run.revision(), host);
                }
            }

            public void close() {
            }
        };
    }

    private synchronized void check() throws FleetUnavailable {
        if (!available) {
            throw new FleetUnavailable("no answer within 2 s");
        }
    }
}
