package dev.regent.fleet.etcd;

import dev.regent.fleet.Coordinator;
import dev.regent.fleet.FleetUnavailable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.function.Executable;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The etcd Coordinator answers while a quorum of members runs, and only then, on a real 3-member ETCD.cluster(). */
class EtcdQuorumTest {

    private static final Duration TTL = Duration.ofSeconds(2);
    /** Only catches a hang: a call is bounded by about 2 s. */
    private static final Duration HANG_BOUND = Duration.ofSeconds(15);
    @RegisterExtension
    static final EtcdFleets ETCD = new EtcdFleets("quorum", TTL);

    @Test
    void withOneOfThreeMembersStoppedCallsStillAnswer() throws Exception {
        Coordinator web1 = ETCD.connect(ETCD.newFleet(), "web1");

        ETCD.cluster().stop(0);

        assertThat(web1.queue("rev-1", 1)).isTrue();
        assertThat(web1.view("rev-1").slotQueue()).containsExactly("web1");
    }

    @Test
    void withTwoOfThreeMembersStoppedCallsAreUnavailableUntilTheyRestart() throws Exception {
        Coordinator web1 = ETCD.connect(ETCD.newFleet(), "web1");
        assertThat(web1.queue("rev-1", 1)).isTrue();

        ETCD.cluster().stop(1);
        ETCD.cluster().stop(2);

        printTimeToUnavailable("view", () -> web1.view("rev-1"));
        printTimeToUnavailable("queue", () -> web1.queue("rev-2", 1));

        long restart = System.nanoTime();
        ETCD.cluster().start(1);
        ETCD.cluster().start(2);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).ignoreExceptionsInstanceOf(FleetUnavailable.class)
                .untilAsserted(() -> assertThat(web1.view("rev-1").slotQueue()).containsExactly("web1"));
        System.out.printf("calls answer again %d ms after the two members were started again%n",
                (System.nanoTime() - restart) / 1_000_000);
        assertThat(web1.queue("rev-2", 1)).isTrue();
    }

    private static void printTimeToUnavailable(String call, Executable action) {
        long start = System.nanoTime();
        assertThrows(FleetUnavailable.class, action);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        System.out.printf("%s without a quorum: FleetUnavailable after %d ms%n", call, took.toMillis());
        assertThat(took).isLessThan(HANG_BOUND);
    }
}
