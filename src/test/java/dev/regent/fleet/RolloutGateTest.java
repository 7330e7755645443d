package dev.regent.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.regent.fleet.HostRecord.State;
import dev.regent.fleet.RolloutDecision.Halted;
import dev.regent.fleet.RolloutDecision.MayMove;
import dev.regent.fleet.RolloutDecision.Paused;
import dev.regent.fleet.RolloutDecision.Queue;
import dev.regent.fleet.RolloutDecision.WaitForPredecessors;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RolloutGateTest {
    private static final String R = "rev-2";
    private static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");
    private static final Halt HALT = new Halt(R, "web2", "checks failed", AT);

    private static final FleetSpec ONE_AT_A_TIME = fleet(1, List.of("web1", "web2", "web3"), "web1", "web2", "web3");
    private static final FleetSpec THREE_AT_A_TIME = fleet(3, List.of("web1", "web2", "web3", "web4", "web5"),
            "web1", "web2", "web3", "web4", "web5");
    private static final FleetSpec WEB1_PAUSED_WEB2_DRAINED = new FleetSpec(
            List.of(new FleetHost("web1", true, false), new FleetHost("web2", false, true), new FleetHost("web3", false, false)),
            new RolloutPolicy(1, List.of("web1", "web2", "web3"), RolloutPolicy.OnFailure.HALT, RolloutPolicy.DEFAULT_SLOT_TTL));
    private static final FleetSpec ONLY_WEB3_ORDERED = fleet(1, List.of("web3"), "web2", "web1", "web3");

    static Stream<Arguments> cases() {
        return Stream.of(
                // maxParallel 1: strictly in order
                row("first in order queues", "web1", ONE_AT_A_TIME, view(waiting("web1", "web2", "web3"), List.of()), new Queue(R, List.of())),
                row("second waits for first", "web2", ONE_AT_A_TIME, view(waiting("web1", "web2", "web3"), List.of()), new WaitForPredecessors(List.of("web1"))),
                row("third waits for both", "web3", ONE_AT_A_TIME, view(waiting("web1", "web2", "web3"), List.of()), new WaitForPredecessors(List.of("web1", "web2"))),
                row("slot holder may move", "web1", ONE_AT_A_TIME, view(waiting("web1", "web2", "web3"), List.of("web1")), new MayMove(R)),
                row("next queues behind the mover", "web2", ONE_AT_A_TIME, view(waiting("web1", "web2", "web3"), List.of("web1")), new Queue(R, List.of("web1"))),
                row("a queued host without a slot waits", "web2", ONE_AT_A_TIME, view(waiting("web1", "web2", "web3"), List.of("web1", "web2")), new Queue(R, List.of("web1"))),
                row("third waits while second only queues", "web3", ONE_AT_A_TIME, view(waiting("web1", "web2", "web3"), List.of("web1", "web2")), new WaitForPredecessors(List.of("web2"))),
                row("converged predecessor lets the next queue", "web2", ONE_AT_A_TIME, view(with(waiting("web2", "web3"), converged("web1", R)), List.of()), new Queue(R, List.of())),
                row("converged on an older revision still blocks", "web2", ONE_AT_A_TIME, view(with(waiting("web2", "web3"), converged("web1", "rev-1")), List.of()), new WaitForPredecessors(List.of("web1"))),
                // maxParallel 3
                row("third of three holds a slot", "web3", THREE_AT_A_TIME, view(waiting("web1", "web2", "web3", "web4", "web5"), List.of("web1", "web2", "web3")), new MayMove(R)),
                row("fourth queues behind three movers", "web4", THREE_AT_A_TIME, view(waiting("web1", "web2", "web3", "web4", "web5"), List.of("web1", "web2", "web3")), new Queue(R, List.of("web1", "web2", "web3"))),
                row("fifth waits for the fourth", "web5", THREE_AT_A_TIME, view(waiting("web1", "web2", "web3", "web4", "web5"), List.of("web1", "web2", "web3")), new WaitForPredecessors(List.of("web4"))),
                row("fourth in queue has no slot", "web4", THREE_AT_A_TIME, view(waiting("web1", "web2", "web3", "web4", "web5"), List.of("web1", "web2", "web3", "web4")), new Queue(R, List.of("web1", "web2", "web3"))),
                row("second of three waits for the first", "web2", THREE_AT_A_TIME, view(waiting("web1", "web2", "web3", "web4", "web5"), List.of()), new WaitForPredecessors(List.of("web1"))),
                // paused, drained and dead hosts do not block
                row("paused and drained predecessors do not block", "web3", WEB1_PAUSED_WEB2_DRAINED, view(waiting("web1", "web2", "web3"), List.of()), new Queue(R, List.of())),
                row("dead predecessors (no record) do not block", "web3", ONE_AT_A_TIME, view(waiting("web3"), List.of()), new Queue(R, List.of())),
                row("only alive predecessors are waited for", "web3", ONE_AT_A_TIME, view(waiting("web2", "web3"), List.of()), new WaitForPredecessors(List.of("web2"))),
                // hosts not in order follow, by name
                row("ordered host goes first", "web3", ONLY_WEB3_ORDERED, view(waiting("web1", "web2", "web3"), List.of()), new Queue(R, List.of())),
                row("unordered host follows the ordered", "web1", ONLY_WEB3_ORDERED, view(waiting("web1", "web2", "web3"), List.of()), new WaitForPredecessors(List.of("web3"))),
                row("unordered hosts follow by name", "web2", ONLY_WEB3_ORDERED, view(waiting("web1", "web2", "web3"), List.of()), new WaitForPredecessors(List.of("web3", "web1"))),
                row("a host the fleet does not name comes last", "web9", ONE_AT_A_TIME, view(with(waiting("web1", "web9"), converged("web2", R)), List.of()), new WaitForPredecessors(List.of("web1"))),
                // paused self, and halt over everything
                row("paused self never moves", "web1", WEB1_PAUSED_WEB2_DRAINED, view(waiting("web1"), List.of()), new Paused("web1")),
                row("drained self never moves, even holding a slot", "web2", WEB1_PAUSED_WEB2_DRAINED, view(waiting("web2"), List.of("web2")), new Paused("web2")),
                row("halt stops a slot holder", "web1", ONE_AT_A_TIME, halted(view(waiting("web1", "web2"), List.of("web1"))), new Halted(HALT)),
                row("halt stops a queuer", "web3", ONE_AT_A_TIME, halted(view(with(waiting("web3"), converged("web1", R)), List.of())), new Halted(HALT)),
                row("halt wins over paused", "web1", WEB1_PAUSED_WEB2_DRAINED, halted(view(waiting("web1"), List.of())), new Halted(HALT)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void decides(String name, String host, FleetSpec fleet, FleetView view, RolloutDecision expected) {
        assertThat(RolloutGate.decide(host, fleet, R, view)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("orders")
    void ordersTheFleet(String name, FleetSpec fleet, List<String> expected) {
        assertThat(RolloutGate.rolloutOrder(fleet)).isEqualTo(expected);
    }

    static Stream<Arguments> orders() {
        return Stream.of(
                Arguments.of("policy order", ONE_AT_A_TIME, List.of("web1", "web2", "web3")),
                Arguments.of("ordered first, then by name", ONLY_WEB3_ORDERED, List.of("web3", "web1", "web2")),
                Arguments.of("names outside the fleet are ignored", fleet(1, List.of("gone", "b"), "c", "b", "a"), List.of("b", "a", "c")));
    }

    private static Arguments row(String name, String host, FleetSpec fleet, FleetView view, RolloutDecision expected) {
        return Arguments.of(name, host, fleet, view, expected);
    }

    private static FleetSpec fleet(int maxParallel, List<String> order, String... hosts) {
        return new FleetSpec(Arrays.stream(hosts).map(h -> new FleetHost(h, false, false)).toList(),
                new RolloutPolicy(maxParallel, order, RolloutPolicy.OnFailure.HALT, RolloutPolicy.DEFAULT_SLOT_TTL));
    }

    private static Map<String, HostRecord> waiting(String... hosts) {
        Map<String, HostRecord> records = new HashMap<>();
        for (String host : hosts) {
            records.put(host, new HostRecord(host, R, Optional.empty(), Optional.empty(), State.WAITING, "waits", AT));
        }
        return records;
    }

    private static Map<String, HostRecord> with(Map<String, HostRecord> records, HostRecord record) {
        records.put(record.host(), record);
        return records;
    }

    private static HostRecord converged(String host, String revision) {
        return new HostRecord(host, revision, Optional.of("b"), Optional.empty(), State.CONVERGED, "live serves it", AT);
    }

    private static FleetView view(Map<String, HostRecord> records, List<String> queue) {
        return new FleetView(records, queue, Optional.empty());
    }

    private static FleetView halted(FleetView view) {
        return new FleetView(view.hosts(), view.slotQueue(), Optional.of(HALT));
    }
}
