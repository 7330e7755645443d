package dev.regent.plan;

import static dev.regent.plan.Hosts.converged;
import static dev.regent.plan.Hosts.desired;
import static dev.regent.plan.Hosts.found;
import static dev.regent.plan.Hosts.from;
import static dev.regent.plan.PlanInvariants.planChecked;
import static org.assertj.core.api.Assertions.assertThat;

import dev.regent.observe.MigrationRecord;
import dev.regent.observe.ObservedHost;
import dev.regent.observe.PostMigrateRun.Status;
import dev.regent.plan.Action.PointStage;
import dev.regent.plan.Action.PostMigrate;
import dev.regent.spec.DesiredState;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The contract step in the plan: only for the live build, once, and only after the builds it waited out hold no role. */
class PostMigratePlanningTest {
    private static final String[] CONTRACT = {"venv/bin/python", "app/manage.py", "contract"};

    /** c live, migrated while a was live; a and b as the arguments place them. */
    private static ObservedHost cLiveMigratedWhileA(String... others) {
        String[] names = new String[others.length + 1];
        names[0] = "c";
        System.arraycopy(others, 0, names, 1, others.length);
        return from(converged(names)).with(found("c").complete().includes().linked().healthy().warm().migratedWhile("a")).get();
    }

    private static List<PostMigrate> contractSteps(Plan plan) {
        return plan.actions().stream().filter(PostMigrate.class::isInstance).map(PostMigrate.class::cast).toList();
    }

    @Test
    void waitsWhileThePreviousBuildIsStageAndRunsOnceStageMovedElsewhere() {
        DesiredState keepA = desired().build("a").build("b").build("c").live("c").stage("a").postMigrate(CONTRACT).get();
        DesiredState stageB = desired().build("a").build("b").build("c").live("c").stage("b").postMigrate(CONTRACT).get();

        Plan whileAIsStage = planChecked(keepA, cLiveMigratedWhileA("a", "b"));
        Plan whileStageMoves = planChecked(stageB, cLiveMigratedWhileA("a", "b"));
        Plan afterStageMoved = planChecked(stageB, cLiveMigratedWhileA("b", "a"));

        assertThat(whileAIsStage.actions()).isEmpty();
        assertThat(whileAIsStage.converged()).isTrue();
        assertThat(whileStageMoves.actions()).contains(new PointStage("b", Optional.of("a"), true));
        assertThat(contractSteps(whileStageMoves)).isEmpty();
        assertThat(afterStageMoved.actions()).containsExactly(new PostMigrate("c", List.of("a"), stageB.migrations()));
    }

    @Test
    void runsAsSoonAsTheBuildIsLiveWhenNothingServedWhileItMigrated() {
        ObservedHost host = from(converged("c")).with(found("c").complete().includes().linked().healthy().warm()
                .migratedWhile()).get();
        DesiredState desired = desired().build("c").live("c").postMigrate(CONTRACT).get();

        assertThat(planChecked(desired, host).actions()).containsExactly(new PostMigrate("c", List.of(), desired.migrations()));
    }

    @Test
    void neverForABuildThatIsNotLive() {
        // c migrated while a served and a is gone, but c is only stage.
        ObservedHost host = from(converged("b", "c")).with(found("c").complete().includes().linked().healthy().warm()
                .migratedWhile("a")).get();
        DesiredState desired = desired().build("b").build("c").live("b").stage("c").postMigrate(CONTRACT).get();

        assertThat(planChecked(desired, host).actions()).isEmpty();
    }

    @Test
    void aRecordThatDoesNotNameThePreviousBuildsWaitsUntilNoOtherBuildHoldsARole() {
        // Written before the release phase kept them: b, live now, with a as stage.
        DesiredState keepA = desired().build("a").build("b").live("b").stage("a").postMigrate(CONTRACT).get();
        DesiredState noStage = desired().build("a").build("b").live("b").postMigrate(CONTRACT).get();
        ObservedHost withStage = from(converged("b", "a")).with(found("b").complete().includes().linked().healthy().warm()
                .migrated()).get();
        ObservedHost alone = from(converged("b")).with(found("a").complete().includes().linked().healthy().warm())
                .with(found("b").complete().includes().linked().healthy().warm().migrated()).get();

        assertThat(planChecked(keepA, withStage).actions()).isEmpty();
        assertThat(planChecked(noStage, alone).actions()).containsExactly(
                new PostMigrate("b", List.of("a"), noStage.migrations()));
    }

    @Test
    void neverForALiveBuildAboutToLoseLive() {
        DesiredState desired = desired().build("b").build("c").live("b").postMigrate(CONTRACT).get();

        assertThat(contractSteps(planChecked(desired, cLiveMigratedWhileA("b")))).isEmpty();
    }

    @Test
    void neverWithoutAConfiguredStepOrWithoutAMigratedReleasePhase() {
        DesiredState none = desired().build("b").build("c").live("c").stage("b").get();
        DesiredState configured = desired().build("b").build("c").live("c").stage("b").postMigrate(CONTRACT).get();
        ObservedHost skipped = from(converged("c", "b")).with(found("c").complete().includes().linked().healthy().warm()
                .migration(MigrationRecord.State.SKIPPED)).get();

        assertThat(planChecked(none, cLiveMigratedWhileA("b")).actions()).isEmpty();
        assertThat(planChecked(configured, skipped).actions()).isEmpty();
    }

    @Test
    void neverTwiceForTheSameArgumentList() {
        DesiredState desired = desired().build("b").build("c").live("c").stage("b").postMigrate(CONTRACT).get();
        ObservedHost ran = from(converged("c", "b")).with(found("c").complete().includes().linked().healthy().warm()
                .migratedWhile("a").postMigrate(Status.SUCCEEDED, CONTRACT)).get();
        ObservedHost interrupted = from(converged("c", "b")).with(found("c").complete().includes().linked().healthy().warm()
                .migratedWhile("a").postMigrate(Status.RUNNING, CONTRACT)).get();

        assertThat(planChecked(desired, ran).converged()).isTrue();
        Plan afterCrash = planChecked(desired, interrupted);
        assertThat(afterCrash.actions()).isEmpty();
        assertThat(afterCrash.blocked()).singleElement().satisfies(b -> {
            assertThat(b.code()).isEqualTo(BlockCode.POST_MIGRATE_FAILED);
            assertThat(b.message()).contains("contract step of live build c was interrupted");
        });
    }

    @Test
    void aFailureIsShownHoldsNothingBackAndRunsAgainOnlyForAnotherArgumentList() {
        ObservedHost failed = from(converged("c", "b")).with(found("c").complete().includes().linked().healthy().warm()
                .migratedWhile("a").postMigrate(Status.FAILED, CONTRACT)).with(found("d").complete().includes().linked()
                .healthy().warm()).get();
        DesiredState same = desired().build("b").build("c").live("c").stage("b").postMigrate(CONTRACT).get();
        DesiredState changed = desired().build("b").build("c").live("c").stage("b")
                .postMigrate("venv/bin/python", "app/manage.py", "contract", "--retry").get();

        Plan plan = planChecked(same, failed);
        assertThat(contractSteps(plan)).isEmpty();
        assertThat(plan.actions()).isNotEmpty().allMatch(a -> a.build().equals("d")); // d still retires
        assertThat(plan.blocked()).singleElement().satisfies(b -> {
            assertThat(b.code()).isEqualTo(BlockCode.POST_MIGRATE_FAILED);
            assertThat(b.message()).contains("contract step of live build c failed", "exit code 1",
                    "CommandError: column still read", "spec.migrations.postMigrate changes");
        });
        assertThat(contractSteps(planChecked(changed, failed))).singleElement()
                .satisfies(p -> assertThat(p.settings().postMigrate()).endsWith("--retry"));
    }

    @Test
    void comesLastAfterTheBuildsNoRoleNeedsAreRetired() {
        ObservedHost host = from(converged("c", "b")).with(found("c").complete().includes().linked().healthy().warm()
                .migratedWhile("a")).with(Hosts.running("a")).get();
        DesiredState desired = desired().build("b").build("c").live("c").stage("b").postMigrate(CONTRACT).get();

        assertThat(planChecked(desired, host).actions()).extracting(Action::describe).containsExactly(
                "stop the worker pool of build a", "stop the vassal of build a", "remove build a",
                "run the contract step of build c (postMigrate: venv/bin/python app/manage.py contract)");
    }
}
