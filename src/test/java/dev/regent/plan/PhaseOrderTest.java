package dev.regent.plan;

import static dev.regent.plan.Hosts.converged;
import static dev.regent.plan.Hosts.desired;
import static dev.regent.plan.Hosts.from;
import static dev.regent.plan.Hosts.running;
import static org.assertj.core.api.Assertions.assertThat;

import dev.regent.observe.ObservedHost;
import dev.regent.plan.Action.*;
import dev.regent.spec.DesiredState;
import dev.regent.spec.Strategy;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Which kind of action comes first in a plan, for each pair the ordering rules name. */
class PhaseOrderTest {

    static Stream<Arguments> pairs() {
        return Stream.of(
                Arguments.of("clean up before build", RemoveAssembly.class, CreateBuild.class),
                Arguments.of("build before includes", CreateBuild.class, WriteIncludes.class),
                Arguments.of("includes before vassal link", WriteIncludes.class, LinkVassal.class),
                Arguments.of("includes before swap", WriteIncludes.class, SwapLive.class),
                Arguments.of("includes before stage", WriteIncludes.class, PointStage.class),
                Arguments.of("includes before reload", WriteIncludes.class, ReloadNginx.class),
                Arguments.of("build before vassal link", CreateBuild.class, LinkVassal.class),
                Arguments.of("build before pool link", CreateBuild.class, LinkPool.class),
                Arguments.of("vassal before pool", LinkVassal.class, LinkPool.class),
                Arguments.of("pool before health wait", LinkPool.class, WaitHealthy.class),
                Arguments.of("re-attach before health wait", ReattachPool.class, WaitHealthy.class),
                Arguments.of("re-attach before swap", ReattachPool.class, SwapLive.class),
                Arguments.of("healthy before warm", WaitHealthy.class, WarmUp.class),
                Arguments.of("warm before swap", WarmUp.class, SwapLive.class),
                Arguments.of("warm before stage", WarmUp.class, PointStage.class),
                Arguments.of("swap live before point stage", SwapLive.class, PointStage.class),
                Arguments.of("reload after vassal links", LinkVassal.class, ReloadNginx.class),
                Arguments.of("reload after pool links", LinkPool.class, ReloadNginx.class),
                Arguments.of("reload after swap", SwapLive.class, ReloadNginx.class),
                Arguments.of("reload after stage", PointStage.class, ReloadNginx.class),
                Arguments.of("reload before any unlink", ReloadNginx.class, UnlinkPool.class),
                Arguments.of("unlink pool before unlink vassal", UnlinkPool.class, UnlinkVassal.class),
                Arguments.of("unlink vassal before remove", UnlinkVassal.class, RemoveBuild.class),
                Arguments.of("unlink pool before remove", UnlinkPool.class, RemoveBuild.class));
    }

    /** One action of every kind, in the reverse of the expected order. */
    private static List<Action> oneOfEach() {
        DesiredState desired = desired().build("a").build("b").build("c").live("c").stage("a").get();
        return new ArrayList<>(List.of(
                new RemoveBuild("d"),
                new UnlinkVassal("d"),
                new UnlinkPool("d"),
                new ReloadNginx(java.util.Optional.of("c"), java.util.Optional.of("a"), Strategy.RELOAD),
                new PointStage("a", java.util.Optional.of("b"), false),
                new SwapLive("c", java.util.Optional.of("a"), false),
                new WarmUp("c", 2020, "/healthz"),
                new WaitHealthy("c", 2020, "/healthz"),
                new ReattachPool("a"),
                new LinkPool("c"),
                new LinkVassal("c"),
                Hosts.writeIncludes(Strategy.RELOAD, "c"),
                new CreateBuild(desired.effective(desired.builds().get("c"))),
                new RemoveAssembly("x", ".x.tmp")));
    }

    /**
     * A host where one plan needs every kind of action: a leftover assembly, a new build c made live,
     * a (whose router was respawned, orphaning its pool) moved to stage, b (the old stage, unlisted)
     * kept, and d (unlisted, idle) retired. Strategy reload, so the role moves need a reload.
     */
    private static Plan everyKindPlan() {
        ObservedHost host = from(converged(Strategy.RELOAD, "a", "b")).with(running("d", Strategy.RELOAD))
                .with(Hosts.found("a").complete().includes(Strategy.RELOAD).orphaned().get())
                .assembly(".x.tmp").get();
        DesiredState desired = desired().build("a").build("c").live("c").stage("a").strategy(Strategy.RELOAD).get();
        return PlanInvariants.planChecked(desired, host);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pairs")
    void phaseOfTheFirstKindSortsEarlier(String rule, Class<? extends Action> first, Class<? extends Action> second) {
        List<Action> actions = oneOfEach();
        actions.sort(Comparator.comparing(Action::phase));

        assertThat(indexOf(actions, first)).as(rule).isLessThan(indexOf(actions, second));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pairs")
    void plannerPutsEveryActionOfTheFirstKindBeforeAnyOfTheSecond(String rule, Class<? extends Action> first,
                                                                   Class<? extends Action> second) {
        List<Action> actions = everyKindPlan().actions();

        List<Integer> firsts = indices(actions, first);
        List<Integer> seconds = indices(actions, second);
        assertThat(firsts).as(rule + ": plan has " + first.getSimpleName() + " in " + actions).isNotEmpty();
        assertThat(seconds).as(rule + ": plan has " + second.getSimpleName() + " in " + actions).isNotEmpty();
        assertThat(firsts.get(firsts.size() - 1)).as(rule + " in " + actions).isLessThan(seconds.get(0));
    }

    @org.junit.jupiter.api.Test
    void theEveryKindScenarioReallyHasEveryKindAndKeepsTheOldStage() {
        Plan plan = everyKindPlan();

        java.util.Set<String> kinds = new java.util.HashSet<>();
        plan.actions().forEach(a -> kinds.add(a.getClass().getSimpleName()));
        // The contract step needs live to stay where it is: PostMigratePlanningTest orders it. The site
        // is never applied by a plan that moves a role (PlannerTest.Site). The promotion guards' actions
        // (a rollback instead of a swap, a pin released, a smoke check) are ordered in PromotionPlanningTest,
        // the canary's in CanaryPlanningTest.
        var guards = List.of("PostMigrate", "ApplySite", "RollBack", "ReleasePin", "SmokeCheck", "AttachCanary",
                "PassCanary", "FailCanary", "WithdrawCanary", "QueueForRollout", "ReleaseRolloutSlot", "HaltRollout", "LeadMigration", "AdoptMigration",
                "RecordMigration");
        assertThat(kinds).containsExactlyInAnyOrderElementsOf(Stream.of(Action.class.getPermittedSubclasses())
                .map(Class::getSimpleName).filter(k -> !guards.contains(k)).toList());
        assertThat(plan.actions()).noneMatch(a -> a.build().equals("b") && !(a instanceof ReloadNginx));
        assertThat(plan.blocked()).singleElement().returns(BlockCode.ROLE_HELD, BlockReason::code)
                .extracting(BlockReason::message).asString().contains("build b");
    }

    @org.junit.jupiter.api.Test
    void smokeChecksComeAfterWarmUpAndBeforeLiveMovesAndARollbackMovesLiveBeforeStage() {
        assertThat(Phase.SMOKE).isGreaterThan(Phase.WARM_UP).isLessThan(Phase.SWAP_LIVE).isLessThan(Phase.ROLL_BACK);
        assertThat(Phase.ROLL_BACK).isLessThan(Phase.POINT_STAGE).isLessThan(Phase.RELOAD_NGINX);
        assertThat(Phase.RELEASE_PIN).isLessThan(Phase.CREATE);
    }

    @org.junit.jupiter.api.Test
    void aCanaryIsDecidedAfterTheSmokeCheckAndBeforeLiveMovesAndALeftOneGoesBeforeAnotherIsAttached() {
        assertThat(Phase.WITHDRAW_CANARY).isGreaterThan(Phase.SMOKE).isLessThan(Phase.ATTACH_CANARY);
        assertThat(Phase.PASS_CANARY).isGreaterThan(Phase.ATTACH_CANARY).isLessThan(Phase.SWAP_LIVE)
                .isLessThan(Phase.ROLL_BACK);
        assertThat(Phase.FAIL_CANARY).isLessThan(Phase.SWAP_LIVE);
    }

    @org.junit.jupiter.api.Test
    void theSiteIsAppliedAfterTheRolesReloadAndBeforeAnythingIsRetired() {
        assertThat(Phase.APPLY_SITE).isGreaterThan(Phase.RELOAD_NGINX).isLessThan(Phase.UNLINK_POOL);
    }

    private static int indexOf(List<Action> actions, Class<? extends Action> kind) {
        List<Integer> found = indices(actions, kind);
        assertThat(found).hasSize(1);
        return found.get(0);
    }

    private static List<Integer> indices(List<Action> actions, Class<? extends Action> kind) {
        return IntStream.range(0, actions.size()).filter(i -> kind.isInstance(actions.get(i))).boxed().toList();
    }
}
