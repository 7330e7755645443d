package dev.regent.plan;

import static dev.regent.plan.Hosts.T0;
import static dev.regent.plan.Hosts.converged;
import static dev.regent.plan.Hosts.desired;
import static dev.regent.plan.Hosts.found;
import static dev.regent.plan.Hosts.from;
import static dev.regent.plan.Hosts.running;
import static org.assertj.core.api.Assertions.assertThat;

import dev.regent.observe.CanaryReading;
import dev.regent.observe.CanaryRecord;
import dev.regent.observe.ObservedCanary;
import dev.regent.observe.ObservedHost;
import dev.regent.observe.ObservedPromotion;
import dev.regent.observe.Pin;
import dev.regent.plan.Action.*;
import dev.regent.spec.DesiredState;
import dev.regent.spec.PromotionSpec;
import dev.regent.traffic.Figures;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** spec.promotion.canary in the planner: attach, judge, then promote or pin, each step from what is observed. */
class CanaryPlanningTest {
    static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";
    static final String REVISION = "c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00";
    static final PromotionSpec CANARY = new PromotionSpec(new PromotionSpec.Analysis(true, Duration.ofSeconds(20),
            Duration.ofSeconds(5), 0.01, Duration.ofMillis(500), 10, 3), Optional.empty(), false,
            Optional.of(new PromotionSpec.Canary(1)));
    /** The canary of b on a's router has served since T0. */
    static final CanaryRecord SERVING = new CanaryRecord("b", "a", 1, COMMIT, REVISION, T0, false);
    static final ObservedCanary ATTACHED = new ObservedCanary("b", true, Optional.of(new ObservedCanary.Target("a", 1)), true);
    static final Figures LIVE_A = new Figures(400, 0, 30);
    static final Figures GOOD = new Figures(200, 0, 30);
    static final Figures TWENTY_PERCENT = new Figures(200, 40, 30);

    /** The desired state moves live from a to b, with a canary of 1 worker. */
    static DesiredState toB() {
        return desired().build("a").build("b").live("b").stage("a").promotion(CANARY).get();
    }

    static ObservedHost withCanary(ObservedHost host, CanaryReading reading) {
        return host.withPromotion(host.promotion().withCanary(reading));
    }

    /** Live a, stage b, the canary of b on a's router, with these intervals of it judged. */
    static ObservedHost judging(List<Figures> intervals) {
        return withCanary(converged("a", "b"), new CanaryReading(Optional.of(SERVING), List.of(ATTACHED), LIVE_A, intervals));
    }

    static Plan plan(DesiredState desired, ObservedHost observed, Instant now) {
        Plan plan = Planner.plan(desired, observed, Optional.empty(), now);
        PlanInvariants.check(desired, observed, plan);
        assertThat(plan.actions()).as("never a canary on the live build itself, never the live pool touched")
                .noneMatch(a -> a instanceof AttachCanary c && observed.live().equals(Optional.of(c.build())))
                .noneMatch(a -> (a instanceof UnlinkPool || a instanceof ReattachPool) && observed.live().equals(Optional.of(a.build())));
        return plan;
    }

    static Plan attachScenario() {
        return plan(toB(), converged("a", "b"), T0);
    }

    static Plan passScenario() {
        return plan(toB(), judging(Collections.nCopies(4, GOOD)), T0.plusSeconds(21));
    }

    static Plan failScenario() {
        return plan(toB(), judging(Collections.nCopies(3, TWENTY_PERCENT)), T0.plusSeconds(16));
    }

    static Plan withdrawScenario() {
        DesiredState stayOnA = desired().build("a").build("b").live("a").stage("b").promotion(CANARY).get();
        return plan(stayOnA, withCanary(converged("a", "b"), new CanaryReading(Optional.empty(), List.of(ATTACHED),
                Figures.NONE, List.of())), T0);
    }

    @Test
    void beforeLiveMovesACanaryOfTheNewBuildIsAttachedToTheLiveRouter() {
        Plan plan = attachScenario();

        assertThat(plan.actions()).containsExactly(new AttachCanary("b", "a", 1));
        assertThat(plan.blocked()).singleElement().returns(BlockCode.CANARY, BlockReason::code)
                .extracting(BlockReason::message).asString()
                .isEqualTo("live stays at a: a canary of build b (1 worker on its router) serves a share of live first;"
                        + " live moves to b once it passes its analysis");
    }

    @Test
    void withoutACanaryLiveMovesAtOnceAsBefore() {
        DesiredState plain = desired().build("a").build("b").live("b").stage("a").get();

        assertThat(plan(plain, converged("a", "b"), T0).actions()).first().isEqualTo(new SwapLive("b", Optional.of("a"), true));
    }

    @Test
    void aBuildNotYetProvenHealthyAndWarmGetsNoCanaryUntilItIs() {
        ObservedHost notWarm = from(converged("a")).with(found("b").complete().includes().linked().healthy().migrated().get())
                .stage("b").get();
        ObservedHost notHealthy = from(converged("a")).with(found("b").complete().includes().linked().migrated().get())
                .stage("b").get();

        for (ObservedHost host : List.of(notWarm, notHealthy)) {
            Plan plan = plan(toB(), host, T0);
            assertThat(plan.actions()).as("%s", plan).noneMatch(a -> a instanceof AttachCanary)
                    .noneMatch(a -> a instanceof SwapLive).isNotEmpty();
            assertThat(plan.actions()).noneMatch(a -> a instanceof WithdrawCanary || a instanceof PassCanary);
        }
    }

    @Test
    void whileItsWindowRunsLiveStaysAndThePlanSaysWhenToLookAgain() {
        Plan plan = plan(toB(), judging(List.of(GOOD, TWENTY_PERCENT)), T0.plusSeconds(11));

        assertThat(plan.actions()).isEmpty();
        assertThat(plan.lookAgainAt()).contains(T0.plusSeconds(16));
        assertThat(plan.blocked()).singleElement().returns(BlockCode.CANARY, BlockReason::code)
                .extracting(BlockReason::message).asString()
                .isEqualTo("live stays at a: a canary of build b (1 worker on its router) serves a share of live since"
                        + " 00:00:00 UTC and is judged: 2 of 4 intervals judged, 1 failed");
    }

    @Test
    void aCanaryThatPassesIsWithdrawnAndLiveMovesAsInAnyPromotion() {
        Plan plan = passScenario();

        assertThat(plan.actions()).containsExactly(new PassCanary("b", "a"), new SwapLive("b", Optional.of("a"), true),
                new PointStage("a", Optional.of("b"), true));
        assertThat(plan.blocked()).isEmpty();
    }

    @Test
    void aPassedCanaryAlreadyWithdrawnLetsLiveMove() {
        ObservedHost host = withCanary(converged("a", "b"), new CanaryReading(Optional.of(SERVING.withPassed()), List.of(),
                Figures.NONE, List.of()));

        assertThat(plan(toB(), host, T0.plusSeconds(22)).actions())
                .containsExactly(new SwapLive("b", Optional.of("a"), true), new PointStage("a", Optional.of("b"), true));
    }

    @Test
    void aCanaryThatFailsIsPinnedAndWithdrawnAndLiveNeverMoves() {
        Plan plan = failScenario();

        assertThat(plan.actions()).singleElement().isInstanceOf(FailCanary.class);
        Pin pin = ((FailCanary) plan.actions().get(0)).pin();
        assertThat(pin).returns("b", Pin::build).returns(REVISION, Pin::revision).returns("a", Pin::from)
                .returns(new Figures(600, 120, 30), Pin::figures).returns(T0.plusSeconds(16), Pin::at);
        assertThat(pin.reason()).startsWith("its canary on build a's router failed its analysis: build b failed 20.0% of"
                + " its requests (120 of 600; at most 1.0% more than build a allowed) in 3 of 3 intervals of 5 s (build a"
                + " over the same time: 0.0% of 400 requests failed, p99 30 ms; over all 600 requests its canary served on"
                + " live: 120 failed)");
        assertThat(plan.actions()).noneMatch(a -> a instanceof SwapLive || a instanceof RollBack);
    }

    @Test
    void onceThePinIsWrittenLiveIsHeldAsAfterARollbackAndALeftCanaryIsWithdrawn() {
        Pin pin = new Pin("b", REVISION, "a", "its canary on build a's router failed its analysis: build b failed",
                new Figures(600, 120, 30), T0.plusSeconds(16));
        ObservedHost host = converged("a", "b");
        host = host.withPromotion(new ObservedPromotion(Optional.empty(), List.of(pin), java.util.Map.of(), java.util.Map.of(),
                Figures.NONE, List.of(), new CanaryReading(Optional.of(SERVING), List.of(ATTACHED), LIVE_A, List.of())));

        Plan plan = plan(toB(), host, T0.plusSeconds(17));

        assertThat(plan.actions()).containsExactly(new WithdrawCanary("b", "no canary of it is wanted now"));
        assertThat(plan.blocked()).singleElement().returns(BlockCode.ROLLED_BACK, BlockReason::code)
                .extracting(BlockReason::message).asString()
                .startsWith("live held at a: revision c0ffee00c0ff was rolled back because its canary on build a's router failed");
    }

    @Test
    void aCanaryLeftBehindWithNoCanaryWantedIsWithdrawnByTheNextReconcile() {
        DesiredState stayOnA = desired().build("a").build("b").live("a").stage("b").promotion(CANARY).get();
        ObservedHost leftOnly = withCanary(converged("a", "b"), new CanaryReading(Optional.empty(), List.of(ATTACHED),
                Figures.NONE, List.of()));
        ObservedHost recordOnly = withCanary(converged("a", "b"), new CanaryReading(Optional.of(SERVING), List.of(),
                Figures.NONE, List.of()));

        assertThat(plan(stayOnA, leftOnly, T0).actions()).containsExactly(new WithdrawCanary("b", "no canary of it is wanted now"));
        assertThat(plan(stayOnA, recordOnly, T0).actions()).containsExactly(new WithdrawCanary("b", "no canary of it is wanted now"));
        assertThat(plan(stayOnA, converged("a", "b"), T0).converged()).isTrue();
    }

    @Test
    void afterThePromotionThePassedRecordIsDropped() {
        DesiredState onB = desired().build("a").build("b").live("b").stage("a").promotion(CANARY).get();
        ObservedHost promoted = withCanary(converged("b", "a"), new CanaryReading(Optional.of(SERVING.withPassed()), List.of(),
                Figures.NONE, List.of()));

        assertThat(plan(onB, promoted, T0.plusSeconds(30)).actions()).containsExactly(new WithdrawCanary("b", "it is live now"));
    }

    @Test
    void aCrashBetweenLinkAndRecordOrAWindowLongOverAttachesAndJudgesAgain() {
        ObservedHost linkedNoRecord = withCanary(converged("a", "b"), new CanaryReading(Optional.empty(), List.of(ATTACHED),
                Figures.NONE, List.of()));
        ObservedHost recordNoLink = withCanary(converged("a", "b"), new CanaryReading(Optional.of(SERVING), List.of(),
                Figures.NONE, List.of()));

        assertThat(plan(toB(), linkedNoRecord, T0).actions()).containsExactly(new AttachCanary("b", "a", 1));
        assertThat(plan(toB(), recordNoLink, T0.plusSeconds(3)).actions()).containsExactly(new AttachCanary("b", "a", 1));
        assertThat(plan(toB(), judging(Collections.nCopies(4, GOOD)), T0.plusSeconds(20 + 60)).actions())
                .containsExactly(new AttachCanary("b", "a", 1));
    }

    @Test
    void aRecordForAnotherRouterCommitOrWorkerCountIsNotTheCanaryUnderWay() {
        for (CanaryRecord other : List.of(new CanaryRecord("b", "x", 1, COMMIT, REVISION, T0, true),
                new CanaryRecord("b", "a", 2, COMMIT, REVISION, T0, true),
                new CanaryRecord("b", "a", 1, "f00d", REVISION, T0, true))) {
            ObservedHost host = withCanary(converged("a", "b"), new CanaryReading(Optional.of(other), List.of(), Figures.NONE,
                    List.of()));

            assertThat(plan(toB(), host, T0).actions()).as("%s", other).containsExactly(new AttachCanary("b", "a", 1));
        }
    }

    @Test
    void aCanaryOfAnotherBuildIsWithdrawnBeforeTheWantedOneIsAttached() {
        ObservedHost host = withCanary(from(converged("a", "b")).with(running("c")).get(), new CanaryReading(Optional.empty(),
                List.of(new ObservedCanary("c", true, Optional.of(new ObservedCanary.Target("a", 1)), true)), Figures.NONE,
                List.of()));

        assertThat(plan(toB(), host, T0).actions()).startsWith(new WithdrawCanary("c", "no canary of it is wanted now"),
                new AttachCanary("b", "a", 1), new UnlinkPool("c"));
    }

    @Test
    void noCanaryWithoutALiveBuildOrWhileTheApprovalGateHolds() {
        DesiredState first = desired().build("b").live("b").promotion(CANARY).get();
        var gated = new PromotionSpec(CANARY.analysis(), Optional.empty(), true, CANARY.canary());
        DesiredState waiting = desired().build("a").build("b").live("b").stage("a").promotion(gated).get();

        assertThat(plan(first, converged().withPromotion(ObservedPromotion.NONE), T0).actions())
                .noneMatch(a -> a instanceof AttachCanary);
        assertThat(plan(first, from(converged()).with(running("b")).get(), T0).actions()).first()
                .isEqualTo(new SwapLive("b", Optional.empty(), false));
        assertThat(plan(waiting, converged("a", "b"), T0).actions()).isEmpty();
    }
}
