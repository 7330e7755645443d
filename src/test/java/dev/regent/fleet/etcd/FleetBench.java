package dev.regent.fleet.etcd;

import dev.regent.bench.FleetSimulation;
import dev.regent.fleet.Coordinator;
import dev.regent.fleet.FleetUnavailable;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.UUID;

/**
 * The fleet rollout at scale: simulated hosts (a move takes moveMillis) each with its own
 * EtcdCoordinator against a real three-member etcd on loopback. Prints two runs: hosts with
 * maxParallel (total time, most hosts moving at once, coordinator calls per second), then ten
 * hosts with maxParallel 1 where the first holder dies mid-move (its lease expires, not revoked):
 * the time from its death to the next host's move. Lives in the test tree. Usage, after
 * {@code mvn -DskipTests package test-compile}: {@code java -cp target/regent.jar:target/test-classes
 * dev.regent.fleet.etcd.FleetBench [hosts maxParallel moveMillis stepMillis ttlSeconds]}
 */
public final class FleetBench {
    private FleetBench() {
    }

    public static void main(String[] args) throws Exception {
        int hosts = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int maxParallel = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        Duration move = Duration.ofMillis(args.length > 2 ? Long.parseLong(args[2]) : 1000);
        Duration step = Duration.ofMillis(args.length > 3 ? Long.parseLong(args[3]) : 500);
        Duration ttl = Duration.ofSeconds(args.length > 4 ? Long.parseLong(args[4]) : 5);
        try (EtcdCluster cluster = EtcdCluster.ofMembers(3)) {
            System.out.printf("etcd: 3 members on %s; lease ttl %d s; a move takes %d ms; a waiting host steps every %d ms%n",
                    cluster.endpoints(), ttl.toSeconds(), move.toMillis(), step.toMillis());
            var rollout = FleetSimulation.run(
                    FleetSimulation.Options.of(hosts, maxParallel).withMoveDuration(move).withStepInterval(step),
                    connector(cluster, "bench-" + UUID.randomUUID(), ttl), FleetBench::crash);
            System.out.printf("rollout: %d hosts, maxParallel %d: %s%n", hosts, maxParallel, rollout.describe());
            var death = FleetSimulation.run(
                    FleetSimulation.Options.of(10, 1).withMoveDuration(move).withStepInterval(step).withKillOneHolder(),
                    connector(cluster, "bench-" + UUID.randomUUID(), ttl), FleetBench::crash);
            System.out.printf("holder death: 10 hosts, maxParallel 1, the first holder dies mid-move: %s%n", death.describe());
            System.out.printf("summary: total %.1f s for %d hosts; at most %d moving at once (limit %d); %.0f etcd calls/s;"
                            + " a dead holder's slot went to the next host %s after its death (lease ttl %d s)%n",
                    rollout.total().toMillis() / 1000.0, rollout.hostsMoved(), Math.max(rollout.maxMovingExact(),
                            rollout.maxMovingSampled()), maxParallel, rollout.callsPerSecond(),
                    death.slotTakeover().map(d -> d.toMillis() + " ms").orElse("(never)"), ttl.toSeconds());
            if (rollout.hostsMoved() != hosts || Math.max(rollout.maxMovingExact(), rollout.maxMovingSampled()) > maxParallel) {
                System.exit(1);
            }
        }
        System.exit(0);
    }

    private static java.util.function.Function<String, Coordinator> connector(EtcdCluster cluster, String fleet, Duration ttl) {
        return host -> {
            try {
                return EtcdCoordinator.open(cluster.endpoints(), FleetKeys.forFleet(fleet), host, ttl);
            } catch (FleetUnavailable e) {
                throw new UncheckedIOException(new java.io.IOException(e.getMessage(), e));
            }
        };
    }

    private static void crash(String host, Coordinator coordinator) {
        ((EtcdCoordinator) coordinator).abandon();
    }
}
