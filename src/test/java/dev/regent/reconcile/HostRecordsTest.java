package dev.regent.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.regent.fleet.FleetView;
import dev.regent.fleet.HostRecord;
import dev.regent.fleet.RolloutDecision;
import dev.regent.observe.ObservedFleet;
import dev.regent.observe.ObservedHost;
import dev.regent.plan.Action;
import dev.regent.plan.Plan;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The state a host's record claims, published before the plan's next action runs. */
class HostRecordsTest {
    private static final String REV = "c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00";
    private static final Instant AT = Instant.parse("2024-01-01T00:00:00Z");

    static ObservedHost liveAHoldingTheSlot() {
        ObservedHost claimed = FleetLoopTest.claimedWarmA();
        ObservedHost live = new ObservedHost(claimed.builds(), List.of(), Optional.of("a"), Optional.empty(),
                claimed.nginx(), claimed.containers());
        return live.withFleet(new ObservedFleet("web2", REV, new RolloutDecision.MayMove(REV),
                Optional.of(new FleetView(Map.of(), List.of("web2"), Optional.empty())), true, Set.of()));
    }

    static HostRecord.State stateBefore(Action next) {
        return HostRecords.of("web2", REV, FleetLoopTest.liveA(Optional.of(FleetLoopTest.FLEET)), liveAHoldingTheSlot(),
                new Plan(List.of(next), List.of(), List.of()), AT).state();
    }

    @Test
    void aHostAboutToFreeItsSlotAfterItsMoveSaysConvergedNotMoving() {
        assertThat(stateBefore(new Action.ReleaseRolloutSlot(REV, "live is build a"))).isEqualTo(HostRecord.State.CONVERGED);
    }

    @Test
    void aHostHoldingItsSlotForAnythingElseSaysMoving() {
        assertThat(stateBefore(new Action.ReleaseRolloutSlot("0ther0000000000000000000000000000000000000", "another revision")))
                .isEqualTo(HostRecord.State.MOVING);
        assertThat(stateBefore(new Action.ReloadNginx(Optional.of("a"), Optional.empty(), dev.regent.spec.Strategy.SOCKET))).isEqualTo(HostRecord.State.MOVING);
    }
}
