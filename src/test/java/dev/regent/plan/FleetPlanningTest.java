package dev.regent.plan;

import static dev.regent.plan.Hosts.T0;
import static dev.regent.plan.Hosts.converged;
import static dev.regent.plan.Hosts.desired;
import static dev.regent.plan.Hosts.from;
import static dev.regent.plan.PromotionPlanningTest.FIVE_PERCENT;
import static dev.regent.plan.PromotionPlanningTest.REVISION;
import static org.assertj.core.api.Assertions.assertThat;

import dev.regent.fleet.FleetHost;
import dev.regent.fleet.FleetSpec;
import dev.regent.fleet.FleetView;
import dev.regent.fleet.Halt;
import dev.regent.fleet.RolloutDecision;
import dev.regent.fleet.RolloutPolicy;
import dev.regent.observe.ObservedFleet;
import dev.regent.observe.ObservedHost;
import dev.regent.plan.Action.*;
import dev.regent.spec.DesiredState;
import dev.regent.spec.Strategy;
import dev.regent.traffic.Figures;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A fleet's rollout in the planner: live moves only on MayMove; the slot is held through the analysis, then released. */
class FleetPlanningTest {
    static final String HOST = "web2";
    static final FleetSpec FLEET = new FleetSpec(List.of(new FleetHost("web1", false, false), new FleetHost(HOST, false, false)),
            new RolloutPolicy(1, List.of("web1", HOST), RolloutPolicy.OnFailure.HALT, Duration.ofSeconds(5)));
    static final Halt HALT = new Halt(REVISION, "web1", "build b failed its analysis", T0);

    static DesiredState inFleet(DesiredState d) {
        return withFleet(d, FLEET);
    }

    static DesiredState withFleet(DesiredState d, FleetSpec fleet) {
        return new DesiredState(d.file(), d.name(), d.source(), d.builds(), d.live(), d.stage(), d.steps(), d.fieldLines(),
                d.strategy(), d.syncWindows(), d.healthTimeout(), d.migrations(), d.dependencies(), d.site(), d.promotion(),
                d.notifications(), Optional.of(fleet));
    }

    /** Desired live b, stage a, in the fleet. */
    static DesiredState toB() {
        return inFleet(desired().build("a").build("b").live("b").stage("a").get());
    }

    static ObservedFleet turn(RolloutDecision decision, List<String> queue, Optional<Halt> halt, Set<String> others) {
        var view = new FleetView(Map.of(), queue, halt);
        return new ObservedFleet(HOST, REVISION, decision, Optional.of(view), view.slotHolders(1).contains(HOST), others);
    }

    static ObservedFleet turn(RolloutDecision decision, List<String> queue) {
        return turn(decision, queue, Optional.empty(), Set.of());
    }

    static Plan plan(DesiredState desired, ObservedHost observed, Instant now) {
        Plan plan = Planner.plan(desired, observed, Optional.empty(), now);
        PlanInvariants.check(desired, observed, plan);
        return plan;
    }

    static Plan queueScenario() {
        return plan(toB(), converged("a", "b").withFleet(turn(new RolloutDecision.Queue(REVISION, List.of()), List.of())), T0);
    }

    static Plan releaseScenario() {
        return plan(toB(), movedAndQueued(Collections.nCopies(12, new Figures(200, 0, 40)), Optional.empty()), T0.plusSeconds(61));
    }

    static Plan haltScenario() {
        return plan(toB(), PromotionPlanningTest.heldAtA(PromotionPlanningTest.pinOnB())
                .withFleet(turn(new RolloutDecision.MayMove(REVISION), List.of(HOST))), T0.plusSeconds(20));
    }

    static Stream<Arguments> heldDecisions() {
        return Stream.of(
                Arguments.of(new RolloutDecision.Queue(REVISION, List.of("web1")), List.of("web1", HOST), BlockCode.FLEET_WAITING, true),
                Arguments.of(new RolloutDecision.WaitForPredecessors(List.of("web1")), List.of(), BlockCode.FLEET_WAITING, true),
                Arguments.of(new RolloutDecision.Halted(HALT), List.of(), BlockCode.FLEET_HALTED, false),
                Arguments.of(new RolloutDecision.Paused(HOST), List.of(), BlockCode.FLEET_PAUSED, false),
                Arguments.of(new RolloutDecision.Unavailable("no quorum"), List.of(), BlockCode.FLEET_UNAVAILABLE, true));
    }

    @ParameterizedTest(name = "{2}: {0}")
    @MethodSource("heldDecisions")
    void everyDecisionButMayMoveKeepsLiveWithItsCodeAndMessage(RolloutDecision decision, List<String> queue, BlockCode code,
                                                               boolean asksAgain) {
        ObservedHost observed = converged("a", "b").withFleet(turn(decision, queue));

        Plan plan = plan(toB(), observed, T0);

        assertThat(plan.actions()).isEmpty();
        assertThat(plan.blocked()).singleElement().returns(code, BlockReason::code).extracting(BlockReason::message)
                .isEqualTo("live stays at a, not build b: " + decision.message());
        assertThat(plan.lookAgainAt()).isEqualTo(asksAgain ? Optional.of(T0.plus(FleetGuard.POLL)) : Optional.empty());
    }

    @Test
    void mayMoveSwapsLive() {
        ObservedHost observed = converged("a", "b").withFleet(turn(new RolloutDecision.MayMove(REVISION), List.of(HOST)));

        Plan plan = plan(toB(), observed, T0);

        assertThat(plan.actions()).containsExactly(new SwapLive("b", Optional.of("a"), true), new PointStage("a", Optional.of("b"), true));
        assertThat(plan.blocked()).isEmpty();
    }

    @Test
    void queueJoinsTheQueueAndLeavesLiveAndStageWhereTheyAre() {
        Plan plan = queueScenario();

        assertThat(plan.actions()).containsExactly(new QueueForRollout("b", REVISION, 1));
        assertThat(plan.blocked()).isEmpty();
    }

    @Test
    void theQueueIsJoinedOnlyAfterTheBuildLiveMovesTo_IsMadeAndWarm() {
        ObservedHost observed = from(converged("a")).get().withFleet(turn(new RolloutDecision.Queue(REVISION, List.of()), List.of()));

        List<Action> actions = plan(toB(), observed, T0).actions();

        int queue = actions.indexOf(new QueueForRollout("b", REVISION, 1));
        assertThat(queue).as("%s", actions).isPositive();
        assertThat(actions.subList(0, queue)).hasAtLeastOneElementOfType(CreateBuild.class)
                .anyMatch(a -> a instanceof WarmUp && a.build().equals("b"));
        assertThat(actions).noneMatch(a -> a instanceof SwapLive);
    }

    @Test
    void aBuildThatFailedNeverTakesASlot() {
        ObservedHost observed = from(converged("a")).with(Hosts.found("b").failed(Hosts.REF, "migrate")).get()
                .withFleet(turn(new RolloutDecision.Queue(REVISION, List.of()), List.of()));

        Plan plan = plan(toB(), observed, T0);

        assertThat(plan.actions()).noneMatch(a -> a instanceof QueueForRollout || a instanceof SwapLive);
        assertThat(plan.blocked()).extracting(BlockReason::code).contains(BlockCode.BUILD_FAILED);
    }

    @Test
    void liveNeverMovesWithoutMayMove() {
        List<RolloutDecision> decisions = List.of(new RolloutDecision.Queue(REVISION, List.of()),
                new RolloutDecision.Queue(REVISION, List.of("web1")), new RolloutDecision.WaitForPredecessors(List.of("web1")),
                new RolloutDecision.Halted(HALT), new RolloutDecision.Paused(HOST), new RolloutDecision.Unavailable("down"));
        List<ObservedHost> hosts = List.of(converged("a", "b"), converged("a"), Hosts.fresh(), converged("b", "a"),
                from(converged("a", "b")).noLive().get());
        for (RolloutDecision decision : decisions) {
            for (List<String> queue : List.of(List.<String>of(), List.of(HOST), List.of("web1", HOST))) {
                for (ObservedHost host : hosts) {
                    Plan plan = plan(toB(), host.withFleet(turn(decision, queue)), T0);
                    assertThat(plan.actions()).as(decision + " " + queue + " " + host.live())
                            .noneMatch(a -> a instanceof SwapLive || a instanceof RollBack);
                }
            }
        }
    }

    /** Live b since T0 (moved from a by REVISION), this host in the queue, these intervals of b judged. */
    static ObservedHost movedAndQueued(List<Figures> intervals, Optional<Halt> halt) {
        return PromotionPlanningTest.watching(intervals)
                .withFleet(turn(new RolloutDecision.MayMove(REVISION), List.of(HOST), halt, Set.of()));
    }

    @Test
    void theSlotIsKeptWhileTheAnalysisRuns() {
        Plan plan = plan(toB(), movedAndQueued(Collections.nCopies(2, new Figures(200, 0, 40)), Optional.empty()), T0.plusSeconds(11));

        assertThat(plan.actions()).isEmpty();
        assertThat(plan.lookAgainAt()).contains(T0.plusSeconds(16));
    }

    @Test
    void theSlotIsReleasedOnceTheAnalysisPassed() {
        Plan plan = releaseScenario();

        assertThat(plan.actions()).singleElement().isInstanceOf(ReleaseRolloutSlot.class)
                .returns(REVISION, a -> ((ReleaseRolloutSlot) a).revision());
    }

    @Test
    void withoutAnAnalysisTheSlotIsReleasedOnceLiveMovedAndNginxServesIt() {
        DesiredState reload = inFleet(desired().build("a").build("b").live("b").stage("a").strategy(Strategy.RELOAD).get());
        ObservedFleet queued = turn(new RolloutDecision.MayMove(REVISION), List.of(HOST));
        ObservedHost served = converged(Strategy.RELOAD, "b", "a").withFleet(queued);
        ObservedHost notReloaded = from(served).nginx(Strategy.RELOAD, "a", "b").get().withFleet(queued);

        assertThat(plan(reload, served, T0).actions()).singleElement().isInstanceOf(ReleaseRolloutSlot.class);
        assertThat(plan(reload, notReloaded, T0).actions()).hasAtLeastOneElementOfType(ReloadNginx.class)
                .noneMatch(a -> a instanceof ReleaseRolloutSlot);
    }

    @Test
    void aFailedAnalysisRollsBackFirstThenHaltsThenReleases() {
        Plan failing = plan(toB(), movedAndQueued(Collections.nCopies(3, FIVE_PERCENT), Optional.empty()), T0.plusSeconds(16));
        ObservedFleet queued = turn(new RolloutDecision.MayMove(REVISION), List.of(HOST));
        ObservedHost rolledBack = PromotionPlanningTest.heldAtA(PromotionPlanningTest.pinOnB()).withFleet(queued);
        ObservedHost halted = rolledBack.withFleet(turn(new RolloutDecision.Halted(HALT), List.of(HOST), Optional.of(
                new Halt(REVISION, HOST, "b failed", T0)), Set.of()));

        Plan halting = haltScenario();
        Plan releasing = plan(toB(), halted, T0.plusSeconds(21));

        assertThat(failing.actions()).first().isInstanceOf(RollBack.class);
        assertThat(failing.actions()).noneMatch(a -> a instanceof HaltRollout || a instanceof ReleaseRolloutSlot);
        assertThat(halting.actions()).containsExactly(new HaltRollout(REVISION, PromotionPlanningTest.pinOnB().reason()));
        assertThat(releasing.actions()).singleElement().isInstanceOf(ReleaseRolloutSlot.class);
    }

    @Test
    void aHaltIsOrderedBeforeTheRelease() {
        assertThat(Phase.HALT_ROLLOUT).isLessThan(Phase.RELEASE_ROLLOUT_SLOT).isLessThan(Phase.CREATE);
        assertThat(Phase.QUEUE_FOR_ROLLOUT).isGreaterThan(Phase.WARM_UP).isGreaterThan(Phase.PASS_CANARY)
                .isLessThan(Phase.SWAP_LIVE);
    }

    @Test
    void aSlotOfARevisionNoLongerAppliedIsReleasedBeforeAnythingIsBuilt() {
        ObservedHost observed = from(converged("a")).get().withFleet(turn(new RolloutDecision.Queue(REVISION, List.of()),
                List.of(), Optional.empty(), Set.of("old-revision")));

        List<Action> actions = plan(toB(), observed, T0).actions();

        assertThat(actions).first().isEqualTo(new ReleaseRolloutSlot("old-revision", "this host applies revision "
                + PromotionGuard.shortRevision(REVISION) + " now"));
    }

    @Test
    void aHostWaitingInTheQueueWhoseRolloutHaltedLeavesTheQueue() {
        ObservedHost observed = converged("a", "b").withFleet(turn(new RolloutDecision.Halted(HALT), List.of("web1", HOST),
                Optional.of(HALT), Set.of()));

        Plan plan = plan(toB(), observed, T0);

        assertThat(plan.actions()).singleElement().isInstanceOf(ReleaseRolloutSlot.class);
        assertThat(plan.blocked()).extracting(BlockReason::code).containsExactly(BlockCode.FLEET_HALTED);
    }

    @Test
    void aHostWithoutAFleetTurnIsPlannedAsBefore() {
        DesiredState single = desired().build("a").build("b").live("b").stage("a").get();
        ObservedHost host = converged("a", "b");
        ObservedHost turnWithoutFleet = host.withFleet(turn(new RolloutDecision.Paused(HOST), List.of(HOST)));

        Plan before = plan(single, host, T0);

        assertThat(plan(toB(), host, T0)).isEqualTo(before);
        assertThat(plan(single, turnWithoutFleet, T0)).isEqualTo(before);
        assertThat(before.actions()).hasAtLeastOneElementOfType(SwapLive.class);
    }
}
