package dev.regent.plan;

import static dev.regent.plan.Hosts.T0;
import static dev.regent.plan.Hosts.converged;
import static dev.regent.plan.Hosts.desired;
import static dev.regent.plan.Hosts.from;
import static dev.regent.plan.Hosts.running;
import static org.assertj.core.api.Assertions.assertThat;

import dev.regent.approval.Approval;
import dev.regent.observe.ObservedHost;
import dev.regent.observe.ObservedPromotion;
import dev.regent.observe.Pin;
import dev.regent.observe.PromotionRecord;
import dev.regent.observe.SmokeRecord;
import dev.regent.plan.Action.*;
import dev.regent.spec.DesiredState;
import dev.regent.spec.PromotionSpec;
import dev.regent.traffic.Figures;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** spec.promotion in the planner: rollback of a failed analysis, pins, the smoke check and the approval gate. */
class PromotionPlanningTest {
    static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";
    static final String REVISION = "c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00";
    /** Live moved from a to b at T0 (by commit REVISION). */
    static final PromotionRecord MOVE = new PromotionRecord(Optional.of("a"), "b", REVISION, "git", T0);
    static final Figures BASELINE = new Figures(2400, 0, 40);
    static final Figures FIVE_PERCENT = new Figures(200, 10, 45);

    /** Desired live b, stage a: b was just promoted. */
    static DesiredState promoted() {
        return desired().build("a").build("b").live("b").stage("a").get();
    }

    /** The host right after the move: live b, stage a, with these intervals of b's traffic judged. */
    static ObservedHost watching(List<Figures> intervals) {
        return converged("b", "a").withPromotion(new ObservedPromotion(Optional.of(MOVE), List.of(), Map.of(), Map.of(),
                BASELINE, intervals));
    }

    static Plan plan(DesiredState desired, ObservedHost observed, Instant now) {
        Plan plan = Planner.plan(desired, observed, Optional.empty(), now);
        PlanInvariants.check(desired, observed, plan);
        return plan;
    }

    static Plan rollbackScenario() {
        return plan(promoted(), watching(Collections.nCopies(3, FIVE_PERCENT)), T0.plusSeconds(16));
    }

    /** After the rollback: live a (held), stage b, the pin on b. */
    static ObservedHost heldAtA(Pin pin) {
        return converged("a", "b").withPromotion(new ObservedPromotion(Optional.of(new PromotionRecord(Optional.of("b"), "a",
                REVISION, PromotionRecord.ROLLBACK, T0.plusSeconds(16))), List.of(pin), Map.of(), Map.of(), Figures.NONE, List.of()));
    }

    static Pin pinOnB() {
        return new Pin("b", REVISION, "a", "build b failed 5.0% of its requests", new Figures(600, 30, 45), T0.plusSeconds(16));
    }

    static Plan releaseScenario() {
        DesiredState newLive = desired().build("a").build("b").build("c").live("c").stage("a").get();
        return plan(newLive, from(heldAtA(pinOnB())).with(running("c")).get(), T0.plusSeconds(60));
    }

    static Plan smokeScenario() {
        DesiredState desired = desired().build("a").build("b").live("b").stage("a").promotion(smoke()).get();
        return plan(desired, converged("a", "b"), T0);
    }

    static PromotionSpec smoke() {
        return new PromotionSpec(PromotionSpec.Analysis.DEFAULT, Optional.of(new PromotionSpec.Smoke(List.of("/healthz", "/items"), 3)),
                false, Optional.empty());
    }

    @Nested
    class Analysis {
        @Test
        void aFailedAnalysisRollsLiveBackAndKeepsTheBadBuildAsStage() {
            Plan plan = rollbackScenario();

            Action first = plan.actions().get(0);
            assertThat(first).isInstanceOf(RollBack.class);
            var rollBack = (RollBack) first;
            assertThat(rollBack.build()).isEqualTo("a");
            assertThat(rollBack.pin()).returns("b", Pin::build).returns(REVISION, Pin::revision).returns("a", Pin::from)
                    .returns(new Figures(600, 30, 45), Pin::figures).returns(T0.plusSeconds(16), Pin::at);
            assertThat(rollBack.pin().reason()).contains("build b failed 5.0% of its requests");
            assertThat(plan.actions()).containsExactly(rollBack, new PointStage("b", Optional.of("a"), true));
            assertThat(plan.blocked()).singleElement().returns(BlockCode.ROLLED_BACK, BlockReason::code)
                    .extracting(BlockReason::message).asString()
                    .startsWith("live held at a: revision c0ffee00c0ff was rolled back because build b failed 5.0%");
        }

        @Test
        void whileTheWindowRunsNothingIsDoneAndThePlanSaysWhenToLookAgain() {
            Plan plan = plan(promoted(), watching(Collections.nCopies(2, FIVE_PERCENT)), T0.plusSeconds(11));

            assertThat(plan.converged()).isTrue();
            assertThat(plan.lookAgainAt()).contains(T0.plusSeconds(16));
        }

        @Test
        void aGoodBuildIsKept() {
            Plan plan = plan(promoted(), watching(Collections.nCopies(12, new Figures(200, 0, 40))), T0.plusSeconds(61));

            assertThat(plan.converged()).isTrue();
            assertThat(plan.lookAgainAt()).isEmpty();
        }

        @Test
        void withAnalysisOffNothingIsJudged() {
            var off = new PromotionSpec(new PromotionSpec.Analysis(false, Duration.ofSeconds(60), Duration.ofSeconds(5), 0.01,
                    Duration.ofMillis(500), 20, 3), Optional.empty(), false, Optional.empty());
            DesiredState desired = desired().build("a").build("b").live("b").stage("a").promotion(off).get();

            assertThat(plan(desired, watching(Collections.nCopies(3, FIVE_PERCENT)), T0.plusSeconds(16)).converged()).isTrue();
        }

        @Test
        void withoutAWarmPreviousBuildItOnlySaysSo() {
            DesiredState onlyB = desired().build("b").live("b").get();
            ObservedHost host = converged("b").withPromotion(new ObservedPromotion(Optional.of(MOVE), List.of(), Map.of(),
                    Map.of(), BASELINE, Collections.nCopies(3, FIVE_PERCENT)));

            Plan plan = plan(onlyB, host, T0.plusSeconds(16));

            assertThat(plan.actions()).isEmpty();
            assertThat(plan.blocked()).singleElement().returns(BlockCode.ANALYSIS_FAILED, BlockReason::code)
                    .extracting(BlockReason::message).asString().contains("build a it replaced is not running warm");
        }

        @Test
        void aNewDesiredLiveIsANewDecisionNotARollback() {
            DesiredState toC = desired().build("a").build("b").build("c").live("c").stage("b").get();
            ObservedHost host = from(watching(Collections.nCopies(3, FIVE_PERCENT))).with(running("c")).get();

            Plan plan = plan(toC, host, T0.plusSeconds(16));

            assertThat(plan.actions()).first().isEqualTo(new SwapLive("c", Optional.of("b"), true));
            assertThat(plan.actions()).noneMatch(RollBack.class::isInstance);
        }
    }

    @Nested
    class Pins {
        @Test
        void aPinHoldsLiveOverResyncsOfTheSameRevision() {
            ObservedHost held = heldAtA(pinOnB());

            for (int resync = 0; resync < 50; resync++) {
                Plan plan = plan(promoted(), held, T0.plusSeconds(60L + resync * 30));

                assertThat(plan.actions()).isEmpty();
                assertThat(plan.blocked()).singleElement().returns(BlockCode.ROLLED_BACK, BlockReason::code);
            }
        }

        @Test
        void aPinHoldsForAnyDesiredStateThatStillWantsTheRolledBackBuild() {
            DesiredState sameLiveMoreBuilds = desired().build("a").build("b").build("c").live("b").stage("a").get();

            Plan plan = plan(sameLiveMoreBuilds, from(heldAtA(pinOnB())).with(running("c")).get(), T0.plusSeconds(60));

            assertThat(plan.actions()).noneMatch(a -> a instanceof SwapLive || a instanceof RollBack);
            assertThat(plan.blocked()).extracting(BlockReason::code).contains(BlockCode.ROLLED_BACK);
        }

        @Test
        void aPinWhoseRollbackDidNotHappenYetFinishesIt() {
            ObservedHost stillOnB = converged("b", "a").withPromotion(new ObservedPromotion(Optional.of(MOVE),
                    List.of(pinOnB()), Map.of(), Map.of(), Figures.NONE, List.of()));

            Plan plan = plan(promoted(), stillOnB, T0.plusSeconds(17));

            assertThat(plan.actions()).first().isEqualTo(new RollBack("a", pinOnB(), true));
        }

        @Test
        void aNewDesiredLiveReleasesThePin() {
            Plan plan = releaseScenario();

            assertThat(plan.actions()).startsWith(new ReleasePin("b"));
            assertThat(plan.actions()).contains(new SwapLive("c", Optional.of("a"), true));
            assertThat(plan.blocked()).isEmpty();
        }

        @Test
        void makingTheDesiredStateSayWhereLiveIsReleasesThePinAndConverges() {
            DesiredState rolledBack = desired().build("a").build("b").live("a").stage("b").get();

            Plan plan = plan(rolledBack, heldAtA(pinOnB()), T0.plusSeconds(60));

            assertThat(plan.actions()).containsExactly(new ReleasePin("b"));
            assertThat(plan.blocked()).isEmpty();
        }
    }

    @Nested
    class Smoke {
        @Test
        void theBuildLiveMovesToIsSmokeCheckedFirst() {
            Plan plan = smokeScenario();

            assertThat(plan.actions()).containsExactly(new SmokeCheck("b", dev.regent.spec.BuildNames.port("b"), List.of("/healthz", "/items"), 3),
                    new SwapLive("b", Optional.of("a"), true), new PointStage("a", Optional.of("b"), true));
        }

        @Test
        void aFailedSmokeCheckHoldsLiveAndKeepsTheBuildOnStage() {
            DesiredState desired = desired().build("a").build("b").live("b").stage("a").promotion(smoke()).get();
            ObservedHost host = converged("a", "b").withPromotion(new ObservedPromotion(Optional.empty(), List.of(),
                    Map.of("b", new SmokeRecord("b", COMMIT, List.of("/healthz", "/items"), 3, false,
                            "GET /items answered HTTP 500 (3 of 3 requests not 2xx)", T0)), Map.of(), Figures.NONE, List.of()));

            Plan plan = plan(desired, host, T0);

            assertThat(plan.actions()).isEmpty();
            assertThat(plan.blocked()).singleElement().returns(BlockCode.SMOKE_FAILED, BlockReason::code)
                    .extracting(BlockReason::message).asString()
                    .isEqualTo("live stays at a: build b failed its smoke check: GET /items answered HTTP 500 (3 of 3"
                            + " requests not 2xx) (checked again when the build or spec.promotion.smoke changes)");
        }

        @Test
        void aPassedCheckLetsLiveMoveAndAChangedSpecChecksAgain() {
            var passed = new SmokeRecord("b", COMMIT, List.of("/healthz", "/items"), 3, true, "ok", T0);
            DesiredState desired = desired().build("a").build("b").live("b").stage("a").promotion(smoke()).get();
            ObservedHost host = converged("a", "b").withPromotion(new ObservedPromotion(Optional.empty(), List.of(),
                    Map.of("b", passed), Map.of(), Figures.NONE, List.of()));
            ObservedHost otherCommit = converged("a", "b").withPromotion(new ObservedPromotion(Optional.empty(), List.of(),
                    Map.of("b", new SmokeRecord("b", "f00", passed.paths(), 3, false, "no", T0)), Map.of(), Figures.NONE, List.of()));

            assertThat(plan(desired, host, T0).actions()).first().isEqualTo(new SwapLive("b", Optional.of("a"), true));
            assertThat(plan(desired, otherCommit, T0).actions()).first().isInstanceOf(SmokeCheck.class);
        }
    }

    @Nested
    class Approval {
        static final PromotionSpec GATED = new PromotionSpec(PromotionSpec.Analysis.DEFAULT, Optional.empty(), true,
                Optional.empty());

        private ObservedHost approved(dev.regent.approval.Approval approval) {
            return converged("a", "b").withPromotion(new ObservedPromotion(Optional.empty(), List.of(), Map.of(),
                    Map.of("b", approval), Figures.NONE, List.of()));
        }

        @Test
        void liveWaitsForAnApprovalAndStageKeepsTheWaitingBuild() {
            DesiredState desired = desired().build("a").build("b").live("b").stage("a").promotion(GATED).get();

            Plan plan = plan(desired, converged("a", "b"), T0);

            assertThat(plan.actions()).isEmpty();
            assertThat(plan.blocked()).singleElement().returns(BlockCode.AWAITING_APPROVAL, BlockReason::code)
                    .extracting(BlockReason::message).asString()
                    .isEqualTo("live stays at a: build b waits for approval (regent approve b)");
        }

        @Test
        void anApprovalOfTheBuildsCommitLetsLiveMove() {
            DesiredState desired = desired().build("a").build("b").live("b").stage("a").promotion(GATED).get();

            Plan plan = plan(desired, approved(new dev.regent.approval.Approval("b", COMMIT, "alice", T0)), T0);

            assertThat(plan.actions()).first().isEqualTo(new SwapLive("b", Optional.of("a"), true, Optional.of("alice")));
        }

        @Test
        void anApprovalOfAnotherCommitOfTheSameNameDoesNotCount() {
            DesiredState desired = desired().build("a").build("b").live("b").stage("a").promotion(GATED).get();

            Plan plan = plan(desired, approved(new dev.regent.approval.Approval("b", "f00d", "alice", T0)), T0);

            assertThat(plan.blocked()).extracting(BlockReason::code).containsExactly(BlockCode.AWAITING_APPROVAL);
        }

        @Test
        void aRollbackIsNeverHeldForApproval() {
            DesiredState desired = desired().build("a").build("b").live("b").stage("a").promotion(GATED).get();
            ObservedHost host = watching(Collections.nCopies(3, FIVE_PERCENT));

            assertThat(plan(desired, host, T0.plusSeconds(16)).actions()).first().isInstanceOf(RollBack.class);
        }
    }
}
