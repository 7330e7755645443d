package dev.regent.plan;

import static dev.regent.plan.Hosts.converged;
import static dev.regent.plan.Hosts.desired;
import static dev.regent.plan.Hosts.found;
import static dev.regent.plan.Hosts.from;
import static dev.regent.plan.PlanInvariants.planChecked;
import static org.assertj.core.api.Assertions.assertThat;

import dev.regent.observe.MigrationRecord;
import dev.regent.observe.ObservedHost;
import dev.regent.plan.Action.LiveCheck;
import dev.regent.plan.Action.Migrate;
import dev.regent.plan.Action.PointStage;
import dev.regent.plan.Action.SwapLive;
import dev.regent.plan.Action.WarmUp;
import dev.regent.spec.DesiredState;
import dev.regent.spec.MigrationSpec;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The release phase in the plan: who migrates, when, and rollback safety as a rule on live's moves. */
class MigrationPlanningTest {
    private static final LiveCheck LIVE_A = new LiveCheck("a", 2000, "/healthz");

    @Test
    void aHealthyBuildAboutToBeStagedMigratesBeforeItsWarmUpAndProvesLiveAfter() {
        ObservedHost host = from(converged("a", "b")).with(found("c").complete().includes().linked().healthy()).get();
        DesiredState desired = desired().build("a").build("b").build("c").live("a").stage("c").get();

        Plan plan = planChecked(desired, host);

        assertThat(plan.actions()).containsExactly(
                new Migrate("c", Optional.of(LIVE_A), MigrationSpec.DEFAULT),
                new WarmUp("c", 2020, "/healthz"),
                new PointStage("c", Optional.of("b"), true));
    }

    @Test
    void aBuildThatAlreadyHoldsARoleIsNeverHeldBack() {
        // a and b serve but were made before the release phase existed: no record, no Migrate.
        ObservedHost host = from(converged("a", "b"))
                .with(found("a").complete().includes().linked().healthy().warm())
                .with(found("b").complete().includes().linked().healthy().warm()).get();
        DesiredState desired = desired().build("a").build("b").live("b").stage("a").get();

        Plan plan = planChecked(desired, host);

        assertThat(plan.actions()).noneMatch(a -> a instanceof Migrate);
        assertThat(plan.actions()).contains(new SwapLive("b", Optional.of("a"), true));
    }

    @Test
    void aBuildThatTakesNoRoleDoesNotMigrate() {
        ObservedHost host = from(converged("a", "b")).with(found("c").complete().includes().linked().healthy()).get();
        DesiredState desired = desired().build("a").build("b").build("c").live("a").stage("b").get();

        assertThat(planChecked(desired, host).actions()).isEmpty();
    }

    @Test
    void aPlannedButUnfinishedReleasePhaseRunsAgain() {
        ObservedHost host = from(converged("a", "b"))
                .with(found("c").complete().includes().linked().healthy().migration(MigrationRecord.State.PLANNED)).get();
        DesiredState desired = desired().build("a").build("b").build("c").live("a").stage("c").get();

        assertThat(planChecked(desired, host).actions()).first().isEqualTo(new Migrate("c", Optional.of(LIVE_A), MigrationSpec.DEFAULT));
    }

    @Test
    void liveStaysWhenItsTargetDoesNotKnowABreakingMigrationAppliedSince() {
        ObservedHost host = from(converged("b", "a"))
                .with(found("a").complete().includes().linked().healthy().migrated("pages.0001_initial").warm())
                .breaking("pages.0002_drop_body", "b").get();
        DesiredState desired = desired().build("a").build("b").live("a").stage("b").get();

        Plan plan = planChecked(desired, host);

        assertThat(plan.actions()).noneMatch(a -> a instanceof SwapLive);
        assertThat(plan.blocked()).singleElement().satisfies(b -> {
            assertThat(b.code()).isEqualTo(BlockCode.UNSAFE_ROLLBACK);
            assertThat(b.message()).contains("live stays at b", "build a is not safe to roll back to",
                    "pages.0002_drop_body (opted in, applied by build b", "allowUnsafeRollback: true",
                    "regent swap-live a --allow-unsafe-rollback");
        });
    }

    @Test
    void liveMovesToAnUnsafeBuildThatOptsIn() {
        ObservedHost host = from(converged("b", "a"))
                .with(found("a").complete().includes().linked().healthy().migrated("pages.0001_initial").warm())
                .breaking("pages.0002_drop_body", "b").get();
        DesiredState desired = desired().build("a").build("b").live("a").stage("b").allowUnsafeRollback("a").get();

        Plan plan = planChecked(desired, host);

        assertThat(plan.blocked()).isEmpty();
        assertThat(plan.actions()).contains(new SwapLive("a", Optional.of("b"), true));
    }

    @Test
    void aBuildThatKnowsTheBreakingMigrationIsSafeToRollBackTo() {
        ObservedHost host = from(converged("b", "a"))
                .with(found("a").complete().includes().linked().healthy()
                        .migrated("pages.0001_initial", "pages.0002_drop_body").warm())
                .breaking("pages.0002_drop_body", "b").get();
        DesiredState desired = desired().build("a").build("b").live("a").stage("b").get();

        Plan plan = planChecked(desired, host);

        assertThat(plan.blocked()).isEmpty();
        assertThat(plan.actions()).contains(new SwapLive("a", Optional.of("b"), true));
    }

    @Test
    void theSettingsOfSpecMigrationsTravelWithTheAction() {
        var settings = new MigrationSpec(java.time.Duration.ofSeconds(2), java.time.Duration.ofSeconds(30),
                java.util.Set.of("pages.0002_drop_body"));
        ObservedHost host = from(converged("a", "b")).with(found("c").complete().includes().linked().healthy()).get();
        DesiredState plain = desired().build("a").build("b").build("c").live("a").stage("c").get();
        DesiredState desired = new DesiredState(plain.file(), plain.name(), plain.source(), plain.builds(), plain.live(),
                plain.stage(), plain.steps(), plain.fieldLines(), plain.strategy(), plain.syncWindows(),
                plain.healthTimeout(), settings);

        assertThat(planChecked(desired, host).actions()).first().isEqualTo(new Migrate("c", Optional.of(LIVE_A), settings));
    }
}
