package dev.regent.plan;

import static dev.regent.plan.FleetPlanningTest.HOST;
import static dev.regent.plan.FleetPlanningTest.plan;
import static dev.regent.plan.FleetPlanningTest.toB;
import static dev.regent.plan.Hosts.T0;
import static dev.regent.plan.Hosts.converged;
import static dev.regent.plan.Hosts.desired;
import static dev.regent.plan.Hosts.found;
import static dev.regent.plan.Hosts.from;
import static dev.regent.plan.PromotionPlanningTest.REVISION;
import static org.assertj.core.api.Assertions.assertThat;

import dev.regent.fleet.FleetView;
import dev.regent.fleet.MigrationRun;
import dev.regent.fleet.RolloutDecision;
import dev.regent.observe.FleetMigration;
import dev.regent.fleet.FleetSpec;
import dev.regent.observe.ObservedFleet;
import dev.regent.observe.ObservedHost;
import dev.regent.plan.Action.*;
import dev.regent.spec.DesiredState;
import dev.regent.spec.MigrationSpec;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A fleet's migrations in the planner: one host leads and migrates, the others wait for its result and adopt it. */
class FleetMigrationPlanningTest {
    static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";
    static final String KEY = FleetMigration.key(COMMIT);
    static final LiveCheck LIVE_A = new LiveCheck("a", 2000, "/healthz");
    static final MigrationRun SUCCEEDED = new MigrationRun(KEY, "web1", true, "applied shop.0002", T0);
    static final MigrationRun FAILED = new MigrationRun(KEY, "web1", false, "exit code 1\nIntegrityError", T0);

    /** Live a; b made, healthy, not migrated: b's release phase is the next step. */
    static ObservedHost bNotMigrated() {
        return from(converged("a")).with(found("b").complete().includes().linked().healthy()).get();
    }

    static ObservedFleet fleet(Optional<MigrationRun> result, boolean leads, Optional<Instant> lostAt,
                               List<MigrationRun> unrecorded) {
        var view = new FleetView(Map.of(), List.of(), Optional.empty());
        return new ObservedFleet(HOST, REVISION, new RolloutDecision.Queue(REVISION, List.of()), Optional.of(view), false,
                Set.of(), Map.of("b", new FleetMigration("b", KEY, result, leads, lostAt)), unrecorded);
    }

    static Plan inFleet(ObservedFleet fleet, Instant now) {
        return plan(toB(), bNotMigrated().withFleet(fleet), now);
    }

    static Plan leadScenario() {
        return inFleet(fleet(Optional.empty(), false, Optional.empty(), List.of()), T0);
    }

    static Plan adoptScenario() {
        return inFleet(fleet(Optional.of(SUCCEEDED), false, Optional.empty(), List.of()), T0);
    }

    static Plan recordScenario() {
        return plan(toB(), converged("a", "b").withFleet(fleet(Optional.empty(), false, Optional.empty(), List.of(SUCCEEDED))), T0);
    }

    @Test
    void withoutAFleetTheBuildMigratesAsBefore() {
        DesiredState single = desired().build("a").build("b").live("b").stage("a").get();

        Plan alone = plan(single, bNotMigrated(), T0);

        assertThat(alone.actions()).contains(new Migrate("b", Optional.of(LIVE_A), MigrationSpec.DEFAULT));
        assertThat(plan(toB(), bNotMigrated(), T0)).isEqualTo(alone);
        assertThat(plan(single, bNotMigrated().withFleet(fleet(Optional.empty(), false, Optional.empty(), List.of())), T0))
                .isEqualTo(alone);
    }

    @Test
    void hostsWithADatabaseEachMigrateTheirOwnAsAHostAloneWould() {
        DesiredState fleet = toB();
        var perHost = new FleetSpec(fleet.fleet().orElseThrow().hosts(), fleet.fleet().orElseThrow().rollout(),
                FleetSpec.Database.PER_HOST);
        DesiredState own = new DesiredState(fleet.file(), fleet.name(), fleet.source(), fleet.builds(), fleet.live(),
                fleet.stage(), fleet.steps(), fleet.fieldLines(), fleet.strategy(), fleet.syncWindows(), fleet.healthTimeout(),
                fleet.migrations(), fleet.dependencies(), fleet.site(), fleet.promotion(), fleet.notifications(),
                Optional.of(perHost));

        Plan plan = plan(own, bNotMigrated().withFleet(fleet(Optional.empty(), false, Optional.empty(), List.of())), T0);

        assertThat(plan.actions()).contains(new Migrate("b", Optional.of(LIVE_A), MigrationSpec.DEFAULT))
                .noneMatch(a -> a instanceof LeadMigration);
    }

    @Test
    void theFirstHostAsksForTheLeadAndNothingElseOfTheBuildGoesOn() {
        Plan plan = leadScenario();

        assertThat(plan.actions()).contains(new LeadMigration("b", KEY))
                .noneMatch(a -> a instanceof Migrate || a instanceof QueueForRollout || a instanceof SwapLive)
                .noneMatch(a -> a instanceof WarmUp && a.build().equals("b"));
    }

    @Test
    void theLeaderMigratesAsAHostAloneWouldAndRecordsTheResultForTheFleet() {
        Plan plan = inFleet(fleet(Optional.empty(), true, Optional.empty(), List.of()), T0);

        assertThat(plan.actions()).contains(new Migrate("b", Optional.of(LIVE_A), MigrationSpec.DEFAULT, Optional.of(KEY)),
                new WarmUp("b", 2010, "/healthz"), new QueueForRollout("b", REVISION, 1));
        assertThat(plan.actions()).noneMatch(a -> a instanceof LeadMigration);
        assertThat(plan.blocked()).isEmpty();
    }

    @Test
    void theOthersWaitForTheLeadersResultAndAskForTheLeadAgainLater() {
        Plan waiting = inFleet(fleet(Optional.empty(), false, Optional.of(T0), List.of()), T0.plusSeconds(1));
        Plan askingAgain = inFleet(fleet(Optional.empty(), false, Optional.of(T0), List.of()), T0.plus(FleetGuard.POLL));

        assertThat(waiting.actions()).noneMatch(a -> a instanceof Migrate || a instanceof LeadMigration
                || a instanceof WarmUp || a instanceof QueueForRollout);
        assertThat(waiting.blocked()).filteredOn(b -> b.code() == BlockCode.FLEET_MIGRATION).singleElement()
                .returns("build b waits for another host of the fleet to migrate the database (commit 0123456789ab)",
                        BlockReason::message);
        assertThat(waiting.lookAgainAt()).contains(T0.plus(FleetGuard.POLL));
        assertThat(askingAgain.actions()).contains(new LeadMigration("b", KEY));
    }

    @Test
    void aRecordedSuccessIsAdoptedWithoutMigratingAndTheBuildGoesOn() {
        Plan plan = adoptScenario();

        assertThat(plan.actions()).contains(new AdoptMigration("b", SUCCEEDED), new WarmUp("b", 2010, "/healthz"),
                new QueueForRollout("b", REVISION, 1)).noneMatch(a -> a instanceof Migrate || a instanceof LeadMigration);
        assertThat(plan.blocked()).isEmpty();
    }

    @Test
    void aRecordedFailureIsAdoptedAndTheBuildGoesNoFurther() {
        Plan plan = inFleet(fleet(Optional.of(FAILED), false, Optional.empty(), List.of()), T0);

        assertThat(plan.actions()).contains(new AdoptMigration("b", FAILED))
                .noneMatch(a -> a instanceof Migrate || a instanceof QueueForRollout)
                .noneMatch(a -> a instanceof WarmUp && a.build().equals("b"));
    }

    @Test
    void noMigrationRunsWhileTheStoreDoesNotAnswer() {
        var unavailable = new ObservedFleet(HOST, REVISION, new RolloutDecision.Unavailable("no quorum"), Optional.empty(),
                false, Set.of());

        Plan plan = inFleet(unavailable, T0);

        assertThat(plan.actions()).noneMatch(a -> a instanceof Migrate || a instanceof LeadMigration
                || a instanceof AdoptMigration || a instanceof SwapLive);
        assertThat(plan.blocked()).extracting(BlockReason::code).contains(BlockCode.FLEET_UNAVAILABLE)
                .doesNotContain(BlockCode.FLEET_MIGRATION);
        assertThat(plan.blocked()).extracting(BlockReason::message)
                .anyMatch(m -> m.startsWith("build b is not migrated") && m.contains("no quorum"));
        assertThat(plan.lookAgainAt()).contains(T0.plus(FleetGuard.POLL));
    }

    @Test
    void aResultTheStoreDidNotTakeIsRecordedBeforeAnythingElse() {
        Plan plan = recordScenario();

        assertThat(plan.actions()).first().isEqualTo(new RecordMigration(SUCCEEDED));
        assertThat(Phase.RECORD_MIGRATION).isLessThan(Phase.CREATE);
        assertThat(Phase.LEAD_MIGRATION).isGreaterThan(Phase.WAIT_HEALTHY).isLessThan(Phase.MIGRATE);
        assertThat(Phase.ADOPT_MIGRATION).isGreaterThan(Phase.WAIT_HEALTHY).isLessThan(Phase.WARM_UP);
    }
}
