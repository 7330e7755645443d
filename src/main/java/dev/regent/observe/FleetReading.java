package dev.regent.observe;

import dev.regent.fleet.Coordinator;
import dev.regent.fleet.FleetSpec;
import dev.regent.fleet.FleetUnavailable;
import dev.regent.fleet.FleetView;
import dev.regent.fleet.RolloutDecision;
import dev.regent.spec.DesiredState;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;

/** Reads this host's turn in its fleet's rollout ({@link ObservedFleet}): one read of the store, judged by the rule. */
public final class FleetReading {
    private final Coordinator coordinator;
    private final String host;
    private final RolloutRule rule;
    private final SlotLedger ledger;

    public FleetReading(Coordinator coordinator, String host, RolloutRule rule, SlotLedger ledger) {
        this.coordinator = coordinator;
        this.host = host;
        this.rule = rule;
        this.ledger = ledger;
    }

    /**
     * {@code observed} with the fleet's turn for {@code revision}, and the fleet's migration of each build
     * the plan needs migrated ({@link FleetMigration#needed}), when the desired state has a fleet; else unchanged.
     */
    public ObservedHost addTo(ObservedHost observed, DesiredState desired, String revision) {
        return desired.fleet().map(fleet -> observed.withFleet(read(fleet, revision, FleetMigration.needed(desired, observed))))
                .orElse(observed);
    }

    public ObservedFleet read(FleetSpec fleet, String revision) {
        return read(fleet, revision, Map.of());
    }

    /** {@code keys}: by build, the migrations to read. A store that fails any read is unavailable as a whole. */
    public ObservedFleet read(FleetSpec fleet, String revision, Map<String, String> keys) {
        var others = new HashSet<>(ledger.revisions());
        others.remove(revision);
        MigrationLedger leads = ledger.migrations();
        try {
            FleetView view = coordinator.view(revision);
            boolean holds = view.slotHolders(fleet.rollout().maxParallel()).contains(host);
            var migrations = new HashMap<String, FleetMigration>();
            for (var build : keys.entrySet()) {
                String key = build.getValue();
                migrations.put(build.getKey(), new FleetMigration(build.getKey(), key, coordinator.migrationResult(key),
                        leads.leads(key), leads.lostAt(key)));
            }
            return new ObservedFleet(host, revision, rule.decide(host, fleet, revision, view), Optional.of(view), holds,
                    others, migrations, leads.unrecorded());
        } catch (FleetUnavailable e) {
            return new ObservedFleet(host, revision, new RolloutDecision.Unavailable(e.getMessage()), Optional.empty(),
                    false, others, Map.of(), leads.unrecorded());
        }
    }
}
