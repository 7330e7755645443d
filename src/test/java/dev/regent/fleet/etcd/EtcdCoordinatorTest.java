package dev.regent.fleet.etcd;

import dev.regent.fleet.Coordinator;
import dev.regent.fleet.FleetUnavailable;
import dev.regent.fleet.Halt;
import dev.regent.fleet.HostRecord;
import dev.regent.fleet.MigrationRun;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Records, halts and the migration lead of the etcd Coordinator, on a real 3-member cluster. */
class EtcdCoordinatorTest {

    private static final Duration TTL = Duration.ofSeconds(2);
    @RegisterExtension
    static final EtcdFleets ETCD = new EtcdFleets("coordinator", TTL);

    @Test
    void everyHostSeesTheRecordsThatEachPublished() throws Exception {
        String fleet = ETCD.newFleet();
        Map<String, HostRecord> records = Map.of(
                "web1", record("web1", HostRecord.State.CONVERGED, Optional.of("b")),
                "web2", record("web2", HostRecord.State.MOVING, Optional.empty()),
                "web3", record("web3", HostRecord.State.WAITING, Optional.of("a")));
        List<Coordinator> hosts = new ArrayList<>();
        for (String host : List.of("web1", "web2", "web3")) {
            Coordinator coordinator = ETCD.connect(fleet, host);
            coordinator.publish(records.get(host));
            hosts.add(coordinator);
        }

        for (Coordinator coordinator : hosts) {
            assertThat(coordinator.view("rev-1").hosts()).isEqualTo(records);
        }
    }

    @Test
    void aRevisionHaltsOnceAndEveryHostGetsTheHaltThatStands() throws Exception {
        String fleet = ETCD.newFleet();
        Coordinator web1 = ETCD.connect(fleet, "web1");
        Coordinator web2 = ETCD.connect(fleet, "web2");
        Halt byWeb1 = new Halt("rev-7", "web1", "checks failed", Instant.parse("2026-12-06T10:00:00.123456789Z"));
        Halt byWeb2 = new Halt("rev-7", "web2", "move failed", Instant.parse("2026-12-06T10:00:01Z"));

        CountDownLatch together = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            Future<Halt> first = threads.submit(afterLatch(together, () -> web1.halt(byWeb1)));
            Future<Halt> second = threads.submit(afterLatch(together, () -> web2.halt(byWeb2)));
            together.countDown();

            assertThat(first.get()).isEqualTo(second.get()).isIn(byWeb1, byWeb2);
            assertThat(web1.view("rev-7").halt()).contains(first.get());
            assertThat(web2.view("rev-8").halt()).isEmpty();
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void oneHostLeadsTheMigrationAndTheOthersReadItsResult() throws Exception {
        String fleet = ETCD.newFleet();
        List<Coordinator> hosts = List.of(ETCD.connect(fleet, "web1"), ETCD.connect(fleet, "web2"), ETCD.connect(fleet, "web3"));

        List<Coordinator> leaders = new ArrayList<>();
        for (Coordinator host : hosts) {
            if (host.leadMigration("rev-3")) {
                leaders.add(host);
            }
        }
        assertThat(leaders).hasSize(1);
        Coordinator leader = leaders.get(0);
        assertThat(leader.leadMigration("rev-3")).as("the leader asking again still leads").isTrue();
        assertThat(hosts.get(0).migrationResult("rev-3")).isEmpty();

        MigrationRun run = new MigrationRun("rev-3", "web?", true, "Applying shop.0007... OK", Instant.parse("2026-12-06T10:05:00Z"));
        leader.recordMigration(run);

        for (Coordinator host : hosts) {
            assertThat(host.migrationResult("rev-3")).contains(run);
        }
    }

    @Test
    void aDeadLeadersLeadPassesToAnotherHostWhenItsLeaseExpires() throws Exception {
        String fleet = ETCD.newFleet();
        EtcdCoordinator dying = EtcdCoordinator.open(ETCD.cluster().endpoints(), FleetKeys.forFleet(fleet), "web1", TTL);
        Coordinator web2 = ETCD.connect(fleet, "web2");
        assertThat(dying.leadMigration("rev-4")).isTrue();
        assertThat(web2.leadMigration("rev-4")).isFalse();

        long start = System.nanoTime();
        dying.abandon();
        await().atMost(TTL.plusSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> web2.leadMigration("rev-4"));
        System.out.printf("migration lead passed %d ms after its leader died (lease ttl %d ms)%n",
                (System.nanoTime() - start) / 1_000_000, TTL.toMillis());
    }

    @Test
    void aHostWhoseLeaseEndedTakesANewOneOnItsNextCallAndKeepsItAlive() throws Exception {
        String fleet = ETCD.newFleet();
        Coordinator web1 = ETCD.connect(fleet, "web1");
        HostRecord record = record("web1", HostRecord.State.WAITING, Optional.empty());
        web1.publish(record);
        ByteSequence key = FleetKeys.bytes(FleetKeys.forFleet(fleet).host("web1"));
        try (Client etcd = Client.builder().endpoints(ETCD.cluster().endpoints()).build()) {
            long first = leaseOf(etcd, key);
            // What etcd does to a lease not renewed for its ttl (a host cut off from the quorum).
            etcd.getLeaseClient().revoke(first).get(10, TimeUnit.SECONDS);
            assertThat(web1.view("rev-1").hosts()).isEmpty();

            assertThat(web1.queue("rev-1", 1)).isTrue();
            web1.publish(record);

            assertThat(leaseOf(etcd, key)).isNotEqualTo(first);
        }
        await("the new lease outlives its ttl").during(TTL.multipliedBy(2)).atMost(TTL.multipliedBy(4))
                .until(() -> web1.view("rev-1").hosts().containsKey("web1") && web1.view("rev-1").slotQueue().contains("web1"));
    }

    private static long leaseOf(Client etcd, ByteSequence key) throws Exception {
        return etcd.getKVClient().get(key).get(10, TimeUnit.SECONDS).getKvs().get(0).getLease();
    }

    private static HostRecord record(String host, HostRecord.State state, Optional<String> live) {
        return new HostRecord(host, "rev-1", live, Optional.of("c"), state, host + " is " + state,
                Instant.parse("2026-12-06T09:00:00.5Z"));
    }

    private static <T> Callable<T> afterLatch(CountDownLatch latch, Callable<T> call) {
        return () -> {
            latch.await();
            return call.call();
        };
    }
}
