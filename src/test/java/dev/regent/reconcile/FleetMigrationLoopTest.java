package dev.regent.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.regent.apply.Executor;
import dev.regent.apply.FleetExecutors;
import dev.regent.apply.FleetSteps;
import dev.regent.apply.Provenance;
import dev.regent.events.PromotionEvents;
import dev.regent.fleet.FleetHost;
import dev.regent.fleet.FleetSpec;
import dev.regent.fleet.InMemoryCoordinator;
import dev.regent.fleet.MigrationRun;
import dev.regent.fleet.RolloutDecision;
import dev.regent.fleet.RolloutPolicy;
import dev.regent.fs.HostFiles;
import dev.regent.fs.HostLayout;
import dev.regent.nginx.NginxIncludes;
import dev.regent.observe.BuildRecord;
import dev.regent.observe.FleetMigration;
import dev.regent.observe.MigrationRecord;
import dev.regent.observe.ObservedBuild;
import dev.regent.observe.ObservedHost;
import dev.regent.observe.RolloutRule;
import dev.regent.observe.SlotLedger;
import dev.regent.plan.Action.AdoptMigration;
import dev.regent.plan.Action.LeadMigration;
import dev.regent.plan.Action.Migrate;
import dev.regent.plan.Action.SwapLive;
import dev.regent.plan.BlockCode;
import dev.regent.plan.BlockReason;
import dev.regent.spec.DesiredState;
import dev.regent.time.FakeClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The loop of a fleet host whose build needs migrating while another host leads the migration: it
 * waits, adopts the leader's result without migrating, and takes the lead once the leader's is gone.
 * The observation is a claim (build a made, healthy and warm, not live) plus a's migration record as
 * on disk; the executor is real, with a Docker that runs nothing.
 */
class FleetMigrationLoopTest {
    private static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");
    private static final String REV = "c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00";
    private static final String COMMIT = "abc123abc123abc123abc123abc123abc123abc1";
    private static final String KEY = FleetMigration.key(COMMIT);
    private static final FleetSpec FLEET = new FleetSpec(List.of(new FleetHost("web1", false, false),
            new FleetHost("web2", false, false)), new RolloutPolicy(1, List.of(), RolloutPolicy.OnFailure.HALT, Duration.ofSeconds(5)));
    private static final RolloutRule ALWAYS_MOVES = (host, fleet, revision, view) -> new RolloutDecision.MayMove(revision);

    @TempDir
    Path tmp;
    final InMemoryCoordinator.Fleet store = new InMemoryCoordinator.Fleet();
    final SlotLedger ledger = new SlotLedger();
    final FakeClock clock = new FakeClock(T0);
    final ReconcilerTest.Recording listener = new ReconcilerTest.Recording();
    final BuildRecord made = new BuildRecord("a", "v1", COMMIT, "app", 2000, "t", T0.minusSeconds(60));
    HostLayout layout;
    Executor executor;

    @BeforeEach
    void setUp() {
        layout = new HostLayout(tmp);
        HostFiles.writeJson(layout.build("a").resolve(BuildRecord.FILE), made);
        executor = FleetExecutors.executor(layout, FleetExecutors.runningContainers(), clock,
                new FleetSteps(store.coordinatorFor("web2"), "web2", ledger, clock));
    }

    ObservedHost claimedWarmA() {
        ObservedBuild a = new ObservedBuild("a", true, Optional.of(made), true, true, Optional.empty(), Optional.empty(), true,
                true, Optional.empty())
                .withIncludes(Optional.of(NginxIncludes.content(dev.regent.spec.Strategy.SOCKET, "a", NginxIncludes.LIVE, 2000)),
                        Optional.of(NginxIncludes.content(dev.regent.spec.Strategy.SOCKET, "a", NginxIncludes.STAGE, 2000)))
                .withMigration(MigrationRecord.read(layout, "a"));
        return new ObservedHost(Map.of("a", a), List.of(), Optional.empty(), Optional.empty(), Optional.empty(),
                new ObservedHost.Containers(true, true));
    }

    Outcome reconcile() {
        var reconciler = new Reconciler(d -> claimedWarmA(), (d, p) -> executor, listener, clock, PromotionEvents.NONE,
                FleetLink.of(new FleetMember("web2", store.coordinatorFor("web2"), ALWAYS_MOVES), ledger, clock));
        DesiredState desired = FleetLoopTest.liveA(Optional.of(FLEET));
        return reconciler.reconcile(desired, new Provenance(REV, "git"), () -> false);
    }

    @Test
    void aHostThatFindsTheLeadTakenWaitsThenAdoptsTheResultAndMovesLiveWithoutMigrating() {
        store.migrationLeads.put(KEY, "web1");

        Outcome waiting = reconcile();

        assertThat(listener.started).containsExactly(new LeadMigration("a", KEY));
        assertThat(waiting).isInstanceOf(Outcome.Blocked.class);
        assertThat(((Outcome.Blocked) waiting).reasons()).extracting(BlockReason::code).contains(BlockCode.FLEET_MIGRATION);

        MigrationRun run = new MigrationRun(KEY, "web1", true, "applied shop.0002", T0.plusSeconds(1));
        store.migrationResults.put(KEY, run);
        listener.started.clear();
        reconcile();

        assertThat(listener.started).containsExactly(new AdoptMigration("a", run), new SwapLive("a", Optional.empty(), false));
        assertThat(MigrationRecord.read(layout, "a")).get().returns(Optional.of("web1"), MigrationRecord::migratedBy);
    }

    @Test
    void whenTheLeadersLeadIsGoneTheWaitingHostTakesItAndMigrates() {
        store.migrationLeads.put(KEY, "web1");
        reconcile();
        store.migrationLeads.remove(KEY);
        listener.started.clear();

        Outcome tooSoon = reconcile();
        clock.advance(Duration.ofSeconds(2));
        Outcome takingOver = reconcile();

        assertThat(tooSoon).isInstanceOf(Outcome.Blocked.class);
        assertThat(listener.started).hasSize(2).first().isEqualTo(new LeadMigration("a", KEY));
        assertThat(listener.started.get(1)).isInstanceOf(Migrate.class).returns(Optional.of(KEY), m -> ((Migrate) m).fleetKey());
        assertThat(store.migrationLeads).containsEntry(KEY, "web2");
        assertThat(takingOver).isInstanceOf(Outcome.Failed.class);
    }
}
