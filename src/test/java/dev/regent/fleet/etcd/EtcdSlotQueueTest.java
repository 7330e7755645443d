package dev.regent.fleet.etcd;

import dev.regent.fleet.Coordinator;
import dev.regent.fleet.FleetUnavailable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The slot queue (a counting semaphore on etcd) of the etcd Coordinator, on a real 3-member cluster. */
class EtcdSlotQueueTest {

    private static final Duration TTL = Duration.ofSeconds(2);
    @RegisterExtension
    static final EtcdFleets ETCD = new EtcdFleets("slots", TTL);
    private static final String REVISION = "rev-9";

    @Test
    void theFirstMaxParallelOfTheQueueHoldSlotsAndAReleasedSlotGoesToTheNextInLine() throws Exception {
        String fleet = ETCD.newFleet();
        Map<String, Coordinator> hosts = new LinkedHashMap<>();
        for (int i = 1; i <= 6; i++) {
            hosts.put("web" + i, ETCD.connect(fleet, "web" + i));
        }
        Map<String, Boolean> holds = new LinkedHashMap<>();
        for (Map.Entry<String, Coordinator> host : hosts.entrySet()) {
            holds.put(host.getKey(), host.getValue().queue(REVISION, 2));
        }
        assertThat(holds).containsExactly(Map.entry("web1", true), Map.entry("web2", true), Map.entry("web3", false),
                Map.entry("web4", false), Map.entry("web5", false), Map.entry("web6", false));

        assertThat(hosts.get("web5").queue(REVISION, 2)).isFalse();
        assertThat(hosts.get("web3").queue(REVISION, 2)).as("queueing again keeps the place").isFalse();
        assertThat(hosts.get("web1").view(REVISION).slotQueue()).containsExactly("web1", "web2", "web3", "web4", "web5", "web6");

        hosts.get("web1").release(REVISION);
        hosts.get("web1").release(REVISION);

        assertThat(hosts.get("web4").queue(REVISION, 2)).isFalse();
        assertThat(hosts.get("web3").queue(REVISION, 2)).isTrue();
        assertThat(hosts.get("web2").queue(REVISION, 2)).isTrue();
        assertThat(hosts.get("web6").view(REVISION).slotHolders(2)).containsExactly("web2", "web3");
        assertThat(hosts.get("web6").view("rev-10").slotQueue()).as("each revision has its own queue").isEmpty();
    }

    @Test
    void aDeadHoldersSlotIsFreedWhenItsLeaseExpires() throws Exception {
        String fleet = ETCD.newFleet();
        EtcdCoordinator dying = EtcdCoordinator.open(ETCD.cluster().endpoints(), FleetKeys.forFleet(fleet), "web1", TTL);
        Coordinator web2 = ETCD.connect(fleet, "web2");
        assertThat(dying.queue(REVISION, 1)).isTrue();
        assertThat(web2.queue(REVISION, 1)).isFalse();

        long start = System.nanoTime();
        dying.abandon();
        assertThat(web2.queue(REVISION, 1)).as("a dead host keeps its slot until its lease expires").isFalse();
        await().atMost(TTL.plusSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> web2.queue(REVISION, 1));
        System.out.printf("slot of a dead holder freed %d ms after it died (lease ttl %d ms)%n",
                (System.nanoTime() - start) / 1_000_000, TTL.toMillis());
        assertThat(web2.view(REVISION).slotQueue()).containsExactly("web2");
    }

    @Test
    void aClosedHoldersSlotIsFreedAtOnce() throws Exception {
        String fleet = ETCD.newFleet();
        Coordinator web1 = EtcdCoordinator.connect(ETCD.cluster().endpoints(), fleet, "web1", TTL);
        Coordinator web2 = ETCD.connect(fleet, "web2");
        assertThat(web1.queue(REVISION, 1)).isTrue();

        web1.close();

        assertThat(web2.queue(REVISION, 1)).as("close revokes the lease").isTrue();
    }

}
