package dev.regent.apply;

import static org.assertj.core.api.Assertions.assertThat;

import dev.regent.fleet.Halt;
import dev.regent.fleet.InMemoryCoordinator;
import dev.regent.fs.HostLayout;
import dev.regent.observe.SlotLedger;
import dev.regent.plan.Action;
import dev.regent.plan.Action.HaltRollout;
import dev.regent.plan.Action.QueueForRollout;
import dev.regent.plan.Action.ReleaseRolloutSlot;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The executor's fleet actions reach the fleet store through the Coordinator port and keep the slot ledger. */
class FleetStepsTest {
    private static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");
    private static final String REV = "c0ffee00c0ffee00";
    @TempDir
    Path tmp;
    final InMemoryCoordinator.Fleet store = new InMemoryCoordinator.Fleet();
    final Clock clock = Clock.fixed(T0, ZoneOffset.UTC);

    Executor executor(FleetSteps fleet) {
        return FleetExecutors.executor(new HostLayout(tmp), FleetExecutors.refusingDocker("a fleet action must not reach Docker"),
                clock, fleet);
    }

    Executor member(String host, SlotLedger ledger) {
        return executor(new FleetSteps(store.coordinatorFor(host), host, ledger, clock));
    }

    @Test
    void queueingJoinsTheRevisionsQueueAndSaysWhetherTheHostHoldsASlot() {
        var ledger1 = new SlotLedger();
        var ledger2 = new SlotLedger();

        ActionResult first = member("web1", ledger1).apply(new QueueForRollout("b", REV, 1));
        ActionResult second = member("web2", ledger2).apply(new QueueForRollout("b", REV, 1));
        ActionResult again = member("web2", ledger2).apply(new QueueForRollout("b", REV, 1));

        assertThat(first).isEqualTo(ActionResult.done("holds a rollout slot"));
        assertThat(second).isEqualTo(ActionResult.done("queued; waits for a rollout slot"));
        assertThat(again).isEqualTo(second);
        assertThat(store.queues.get(REV)).containsExactly("web1", "web2");
        assertThat(ledger2.revisions()).containsExactly(REV);
    }

    @Test
    void releasingLeavesTheQueueAndTheLedger() {
        var ledger = new SlotLedger();
        Executor web1 = member("web1", ledger);
        web1.apply(new QueueForRollout("b", REV, 1));

        ActionResult released = web1.apply(new ReleaseRolloutSlot(REV, "live is build b"));

        assertThat(released).isInstanceOf(ActionResult.Done.class);
        assertThat(store.queues.get(REV)).isEmpty();
        assertThat(ledger.revisions()).isEmpty();
    }

    @Test
    void theFirstHaltStandsAndALaterOneSaysWhoseItIs() {
        ActionResult mine = member("web1", new SlotLedger()).apply(new HaltRollout(REV, "build b failed its analysis"));
        ActionResult later = member("web2", new SlotLedger()).apply(new HaltRollout(REV, "build b did not answer"));

        assertThat(mine).isEqualTo(ActionResult.done("halted"));
        assertThat(later).isEqualTo(ActionResult.done("already halted by web1: build b failed its analysis"));
        assertThat(store.halts.get(REV)).isEqualTo(new Halt(REV, "web1", "build b failed its analysis", T0));
    }

    @Test
    void anUnavailableStoreFailsRetryablyAndTheLedgerStillNamesEveryQueueThatMayHaveBeenJoined() {
        var ledger = new SlotLedger();
        Executor web1 = member("web1", ledger);
        store.unavailable(true);

        List<ActionResult> results = List.of(web1.apply(new QueueForRollout("b", REV, 1)),
                web1.apply(new ReleaseRolloutSlot(REV, "no longer applied")), web1.apply(new HaltRollout(REV, "failed")));

        assertThat(results).allSatisfy(r -> assertThat(r).isInstanceOf(ActionResult.Failed.class)
                .returns(true, f -> ((ActionResult.Failed) f).retryable())
                .extracting(f -> ((ActionResult.Failed) f).reason()).asString()
                .isEqualTo("the fleet store is unavailable: no answer within 2 s"));
        assertThat(ledger.revisions()).isEqualTo(Set.of(REV));
        assertThat(store.halts).isEmpty();
    }

    @Test
    void withoutAFleetStoreEveryFleetActionFailsForGood() {
        Executor alone = executor(FleetSteps.NONE);

        for (Action action : List.of(new QueueForRollout("b", REV, 1), new ReleaseRolloutSlot(REV, "x"), new HaltRollout(REV, "x"))) {
            assertThat(alone.apply(action)).as(action.describe())
                    .isEqualTo(ActionResult.failedForGood("this host has no fleet store to coordinate with"));
        }
    }
}
