package dev.regent.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.regent.apply.ActionResult;
import dev.regent.apply.Executor;
import dev.regent.apply.FleetExecutors;
import dev.regent.apply.FleetSteps;
import dev.regent.apply.Provenance;
import dev.regent.events.PromotionEvents;
import dev.regent.fleet.FleetHost;
import dev.regent.fleet.FleetSpec;
import dev.regent.fleet.HostRecord;
import dev.regent.fleet.InMemoryCoordinator;
import dev.regent.fleet.RolloutDecision;
import dev.regent.fleet.RolloutPolicy;
import dev.regent.fs.HostLayout;
import dev.regent.nginx.NginxIncludes;
import dev.regent.observe.BuildRecord;
import dev.regent.observe.ObservedBuild;
import dev.regent.observe.ObservedHost;
import dev.regent.observe.RolloutRule;
import dev.regent.observe.SlotLedger;
import dev.regent.plan.Action;
import dev.regent.plan.Action.QueueForRollout;
import dev.regent.plan.Action.SwapLive;
import dev.regent.plan.BlockCode;
import dev.regent.plan.BlockReason;
import dev.regent.spec.BuildSpecs;
import dev.regent.spec.DesiredState;
import dev.regent.spec.Source;
import dev.regent.spec.Strategy;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The loop in a fleet: the fleet's turn is read for the revision the loop applies, the queue is
 * joined by an action, live moves only once this host holds a slot, and the host's record is
 * published after each plan. The observation of the host is a fixed claim (build a healthy and warm,
 * no live); the executor is real, so the swap the claim allows is refused on the empty disk.
 */
class FleetLoopTest {
    private static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");
    private static final String REV = "c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00";
    static final FleetSpec FLEET = new FleetSpec(List.of(new FleetHost("web1", false, false),
            new FleetHost("web2", false, false)), new RolloutPolicy(1, List.of(), RolloutPolicy.OnFailure.HALT, Duration.ofSeconds(5)));
    /** Holders move; everyone else queues. */
    private static final RolloutRule SLOTS_ONLY = (host, fleet, revision, view) ->
            view.slotHolders(fleet.rollout().maxParallel()).contains(host) ? new RolloutDecision.MayMove(revision)
                    : new RolloutDecision.Queue(revision, view.slotHolders(fleet.rollout().maxParallel()));

    @TempDir
    Path tmp;
    final InMemoryCoordinator.Fleet store = new InMemoryCoordinator.Fleet();
    final SlotLedger ledger = new SlotLedger();
    final Clock clock = Clock.systemUTC();
    final ReconcilerTest.Recording listener = new ReconcilerTest.Recording();
    Executor executor;

    @BeforeEach
    void setUp() {
        executor = FleetExecutors.executor(new HostLayout(tmp), FleetExecutors.runningContainers(), clock,
                new FleetSteps(store.coordinatorFor("web2"), "web2", ledger, clock));
    }

    static ObservedHost claimedWarmA() {
        ObservedBuild a = new ObservedBuild("a", true, Optional.of(new BuildRecord("a", "v1", "abc", "app", 2000, "t", T0)),
                true, true, Optional.empty(), Optional.empty(), true, true, Optional.empty())
                .withIncludes(Optional.of(NginxIncludes.content(Strategy.SOCKET, "a", NginxIncludes.LIVE, 2000)),
                        Optional.of(NginxIncludes.content(Strategy.SOCKET, "a", NginxIncludes.STAGE, 2000)))
                .withMigration(Optional.of(new dev.regent.observe.MigrationRecord("a", "v1",
                        dev.regent.observe.MigrationRecord.State.SKIPPED, dev.regent.migrate.MigrationPlan.noDatabase(),
                        List.of(), List.of(), Optional.empty(), "", T0)));
        return new ObservedHost(Map.of("a", a), List.of(), Optional.empty(), Optional.empty(), Optional.empty(),
                new ObservedHost.Containers(true, true));
    }

    static DesiredState liveA(Optional<FleetSpec> fleet) {
        return new DesiredState(Path.of("desired-state.yaml"), "proj",
                new Source("repo", "app", Optional.empty(), Optional.empty(), "/healthz"),
                new LinkedHashMap<>(Map.of("a", BuildSpecs.of("a", "v1"))), Optional.of("a"), Optional.empty(), List.of(),
                Map.of(), Strategy.SOCKET, List.of(), dev.regent.spec.HealthTimeout.DEFAULT,
                dev.regent.spec.MigrationSpec.DEFAULT, dev.regent.spec.DependencySpec.NONE, dev.regent.spec.SiteSpec.NONE,
                dev.regent.spec.PromotionSpec.DEFAULT, List.of(), fleet);
    }

    Reconciler reconciler(FleetLink fleet) {
        return new Reconciler(d -> claimedWarmA(), (d, p) -> executor, listener, clock, PromotionEvents.NONE, fleet);
    }

    Reconciler member() {
        return reconciler(FleetLink.of(new FleetMember("web2", store.coordinatorFor("web2"), SLOTS_ONLY), ledger, clock));
    }

    Outcome reconcile(Reconciler reconciler, DesiredState desired) {
        return reconciler.reconcile(desired, new Provenance(REV, "git"), () -> false);
    }

    @Test
    void aHostBehindAnotherJoinsTheQueueThenWaitsWithLiveWhereItIs() {
        store.queues.put(REV, new java.util.ArrayList<>(List.of("web1")));

        Outcome outcome = reconcile(member(), liveA(Optional.of(FLEET)));

        assertThat(listener.started).containsExactly(new QueueForRollout("a", REV, 1));
        assertThat(outcome).isInstanceOf(Outcome.Blocked.class);
        assertThat(((Outcome.Blocked) outcome).reasons()).singleElement().returns(BlockCode.FLEET_WAITING, BlockReason::code)
                .extracting(BlockReason::message).isEqualTo("live stays at (none), not build a: waits for a rollout slot (held by web1)");
        assertThat(store.queues.get(REV)).containsExactly("web1", "web2");
        assertThat(ledger.revisions()).containsExactly(REV);
        HostRecord last = store.published.get(store.published.size() - 1);
        assertThat(last).returns("web2", HostRecord::host).returns(REV, HostRecord::revision)
                .returns(HostRecord.State.WAITING, HostRecord::state).returns(Optional.empty(), HostRecord::live);
        assertThat(last.message()).contains("waits for a rollout slot (held by web1)");
    }

    @Test
    void onceItHoldsTheSlotLiveMovesAndItsRecordSaysMoving() {
        store.queues.put(REV, new java.util.ArrayList<>(List.of("web1")));
        reconcile(member(), liveA(Optional.of(FLEET)));
        store.queues.get(REV).remove("web1");
        listener.started.clear();

        Outcome outcome = reconcile(member(), liveA(Optional.of(FLEET)));

        assertThat(listener.started).containsExactly(new SwapLive("a", Optional.empty(), false));
        assertThat(listener.results).last().isInstanceOf(ActionResult.Failed.class);
        assertThat(outcome).isInstanceOf(Outcome.Failed.class);
        HostRecord last = store.published.get(store.published.size() - 1);
        assertThat(last.state()).isEqualTo(HostRecord.State.MOVING);
        assertThat(last.message()).isEqualTo("will make build a live");
    }

    @Test
    void anUnavailableStoreHoldsLiveAndAFailedPublishIsNotFatal() {
        store.unavailable(true);

        Outcome outcome = reconcile(member(), liveA(Optional.of(FLEET)));

        assertThat(listener.started).isEmpty();
        assertThat(outcome).isInstanceOf(Outcome.Blocked.class);
        assertThat(((Outcome.Blocked) outcome).reasons()).extracting(BlockReason::code)
                .containsExactly(BlockCode.FLEET_UNAVAILABLE);
        assertThat(store.published).isEmpty();
    }

    @Test
    void withoutAFleetStoreOrWithoutAFleetLiveMovesAsBeforeAndNothingIsPublished() {
        Outcome noStore = reconcile(reconciler(FleetLink.NONE), liveA(Optional.of(FLEET)));
        List<Action> startedWithoutStore = List.copyOf(listener.started);
        listener.started.clear();
        Outcome noFleet = reconcile(member(), liveA(Optional.empty()));

        assertThat(startedWithoutStore).containsExactly(new SwapLive("a", Optional.empty(), false));
        assertThat(listener.started).containsExactly(new SwapLive("a", Optional.empty(), false));
        assertThat(noStore).isEqualTo(noFleet);
        assertThat(store.published).isEmpty();
        assertThat(store.queues).isEmpty();
    }
}
