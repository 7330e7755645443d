package dev.regent.observe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.regent.fleet.FleetHost;
import dev.regent.fleet.FleetSpec;
import dev.regent.fleet.FleetView;
import dev.regent.fleet.InMemoryCoordinator;
import dev.regent.fleet.RolloutDecision;
import dev.regent.fleet.RolloutPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The fleet's turn as observed: one read of the store for the revision, judged by the rule, with the ledger's other slots. */
class FleetReadingTest {
    static final FleetSpec FLEET = new FleetSpec(List.of(new FleetHost("web1", false, false), new FleetHost("web2", false, false)),
            new RolloutPolicy(1, List.of(), RolloutPolicy.OnFailure.HALT, Duration.ofSeconds(5)));
    final InMemoryCoordinator.Fleet store = new InMemoryCoordinator.Fleet();
    final SlotLedger ledger = new SlotLedger();
    final List<FleetView> judged = new ArrayList<>();
    final RolloutRule rule = (host, fleet, revision, view) -> {
        judged.add(view);
        return new RolloutDecision.WaitForPredecessors(List.of("web1"));
    };

    FleetReading web2() {
        return new FleetReading(store.coordinatorFor("web2"), "web2", rule, ledger);
    }

    @Test
    void theRuleJudgesTheStoresViewOfTheRevisionTheLoopApplies() {
        store.queues.put("r2", new ArrayList<>(List.of("web1", "web2")));
        store.queues.put("r1", new ArrayList<>(List.of("web2")));
        ledger.joined("r1");
        ledger.joined("r2");

        ObservedFleet turn = web2().read(FLEET, "r2");

        assertThat(turn.decision()).isEqualTo(new RolloutDecision.WaitForPredecessors(List.of("web1")));
        assertThat(judged).singleElement().returns(List.of("web1", "web2"), FleetView::slotQueue);
        assertThat(turn.view()).contains(judged.get(0));
        assertThat(turn.holdsSlot()).isFalse();
        assertThat(turn.queued()).isTrue();
        assertThat(turn.otherSlots()).isEqualTo(Set.of("r1"));
    }

    @Test
    void theFirstOfTheQueueHoldsASlot() {
        store.queues.put("r2", new ArrayList<>(List.of("web2", "web1")));

        assertThat(web2().read(FLEET, "r2").holdsSlot()).isTrue();
    }

    @Test
    void aStoreThatDoesNotAnswerIsUnavailableAndNothingIsJudged() {
        store.unavailable(true);

        ObservedFleet turn = web2().read(FLEET, "r2");

        assertThat(turn.decision()).isEqualTo(new RolloutDecision.Unavailable("no answer within 2 s"));
        assertThat(turn.view()).isEmpty();
        assertThat(turn.queued()).isFalse();
        assertThat(judged).isEmpty();
    }

    @Test
    void eachMigrationTheCallerNamesIsReadWithWhatTheLedgerKnowsOfItsLead() {
        var run = new dev.regent.fleet.MigrationRun("migrate-abc", "web1", true, "applied", java.time.Instant.EPOCH);
        store.migrationResults.put("migrate-abc", run);
        ledger.migrations().lost("migrate-def", java.time.Instant.EPOCH);
        ledger.migrations().led("migrate-123");
        ledger.migrations().ran(run);

        ObservedFleet turn = web2().read(FLEET, "r2", java.util.Map.of("b", "migrate-abc", "c", "migrate-def", "d", "migrate-123"));

        assertThat(turn.migrations()).containsOnly(
                java.util.Map.entry("b", new FleetMigration("b", "migrate-abc", Optional.of(run), false, Optional.empty())),
                java.util.Map.entry("c", new FleetMigration("c", "migrate-def", Optional.empty(), false,
                        Optional.of(java.time.Instant.EPOCH))),
                java.util.Map.entry("d", new FleetMigration("d", "migrate-123", Optional.empty(), true, Optional.empty())));
        assertThat(turn.unrecorded()).containsExactly(run);
    }

    @Test
    void aStoreThatDoesNotAnswerReadsNoMigration() {
        store.unavailable(true);

        ObservedFleet turn = web2().read(FLEET, "r2", java.util.Map.of("b", "migrate-abc"));

        assertThat(turn.view()).isEmpty();
        assertThat(turn.migrations()).isEmpty();
    }

    @Test
    void aHostFileLeavesTheObservationAsItIs() {
        var observed = new ObservedHost(java.util.Map.of(), List.of(), Optional.empty(), Optional.empty(), Optional.empty(),
                new ObservedHost.Containers(true, true));
        var hostFile = new dev.regent.spec.DesiredState(java.nio.file.Path.of("d.yaml"), "proj",
                new dev.regent.spec.Source("repo", "app", Optional.empty(), Optional.empty(), "/healthz"), java.util.Map.of(),
                Optional.empty(), Optional.empty(), List.of(), java.util.Map.of(), dev.regent.spec.Strategy.SOCKET, List.of(),
                dev.regent.spec.HealthTimeout.DEFAULT);

        assertThat(web2().addTo(observed, hostFile, "r2")).isSameAs(observed);
        assertThat(judged).isEmpty();
    }
}
