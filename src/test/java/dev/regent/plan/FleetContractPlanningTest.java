package dev.regent.plan;

import static dev.regent.plan.FleetPlanningTest.HOST;
import static dev.regent.plan.FleetPlanningTest.inFleet;
import static dev.regent.plan.FleetPlanningTest.plan;
import static dev.regent.plan.Hosts.T0;
import static dev.regent.plan.Hosts.converged;
import static dev.regent.plan.Hosts.desired;
import static dev.regent.plan.Hosts.found;
import static dev.regent.plan.Hosts.from;
import static dev.regent.plan.PromotionPlanningTest.REVISION;
import static org.assertj.core.api.Assertions.assertThat;

import dev.regent.fleet.FleetSpec;
import dev.regent.fleet.FleetView;
import dev.regent.fleet.HostRecord;
import dev.regent.fleet.RolloutDecision;
import dev.regent.observe.ObservedFleet;
import dev.regent.observe.ObservedHost;
import dev.regent.plan.Action.PostMigrate;
import dev.regent.spec.DesiredState;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The contract step in a fleet sharing one database: it changes the schema the old build reads, so
 * it runs once, on the host that migrated the build, and only after every other host left that build.
 * Here this host (web2) serves c, migrated while a was live; web1 is the other host.
 */
class FleetContractPlanningTest {
    private static final String[] CONTRACT = {"venv/bin/python", "app/manage.py", "contract"};
    private static final DesiredState LIVE_C = inFleet(desired().build("c").live("c").postMigrate(CONTRACT).get());

    private static ObservedHost cLive(boolean adopted) {
        var c = found("c").complete().includes().linked().healthy().warm().migratedWhile("a");
        return from(converged("c")).with(adopted ? c.adoptedFrom("web1") : c).get();
    }

    private static ObservedFleet fleetWhereWeb1Serves(Optional<String> live, Optional<String> stage) {
        var web1 = new HostRecord("web1", REVISION, live, stage, HostRecord.State.CONVERGED, "", T0);
        var view = new FleetView(Map.of("web1", web1), List.of(), Optional.empty());
        return new ObservedFleet(HOST, REVISION, new RolloutDecision.MayMove(REVISION), Optional.of(view), false, Set.of());
    }

    private static List<PostMigrate> contractSteps(Plan plan) {
        return plan.actions().stream().filter(PostMigrate.class::isInstance).map(PostMigrate.class::cast).toList();
    }

    @Test
    void waitsWhileAnotherHostServesTheOldBuildLiveOrAsStageAndLooksAgain() {
        Plan web1LiveA = plan(LIVE_C, cLive(false).withFleet(fleetWhereWeb1Serves(Optional.of("a"), Optional.of("c"))), T0);
        Plan web1StageA = plan(LIVE_C, cLive(false).withFleet(fleetWhereWeb1Serves(Optional.of("c"), Optional.of("a"))), T0);

        assertThat(contractSteps(web1LiveA)).isEmpty();
        assertThat(contractSteps(web1StageA)).isEmpty();
        assertThat(web1LiveA.lookAgainAt()).contains(T0.plus(FleetGuard.POLL));
        assertThat(web1LiveA.blocked()).isEmpty();
    }

    @Test
    void runsOnTheMigratingHostOnceEveryOtherHostServesTheBuildLive() {
        Plan moved = plan(LIVE_C, cLive(false).withFleet(fleetWhereWeb1Serves(Optional.of("c"), Optional.empty())), T0);

        assertThat(moved.actions()).containsExactly(new PostMigrate("c", List.of("a"), LIVE_C.migrations()));
    }

    @Test
    void neverOnAHostThatAdoptedTheMigrationOfAnother() {
        Plan adopted = plan(LIVE_C, cLive(true).withFleet(fleetWhereWeb1Serves(Optional.of("c"), Optional.empty())), T0);

        assertThat(contractSteps(adopted)).isEmpty();
        assertThat(adopted.converged()).isTrue();
    }

    @Test
    void waitsForAHostWithoutARecordAndWhileTheStoreDoesNotAnswer() {
        var noRecords = new ObservedFleet(HOST, REVISION, new RolloutDecision.MayMove(REVISION),
                Optional.of(new FleetView(Map.of(), List.of(), Optional.empty())), false, Set.of());
        var unavailable = new ObservedFleet(HOST, REVISION, new RolloutDecision.Unavailable("no quorum"), Optional.empty(),
                false, Set.of());

        assertThat(contractSteps(plan(LIVE_C, cLive(false).withFleet(noRecords), T0))).isEmpty();
        assertThat(contractSteps(plan(LIVE_C, cLive(false).withFleet(unavailable), T0))).isEmpty();
    }

    @Test
    void hostsWithADatabaseEachRunTheirOwnAsAHostAloneWould() {
        FleetSpec fleet = LIVE_C.fleet().orElseThrow();
        DesiredState perHost = FleetPlanningTest.withFleet(LIVE_C,
                new FleetSpec(fleet.hosts(), fleet.rollout(), FleetSpec.Database.PER_HOST));
        Plan web1LiveA = plan(perHost, cLive(false).withFleet(fleetWhereWeb1Serves(Optional.of("a"), Optional.empty())), T0);

        assertThat(web1LiveA.actions()).containsExactly(new PostMigrate("c", List.of("a"), perHost.migrations()));
    }
}
