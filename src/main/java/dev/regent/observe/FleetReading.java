package dev.regent.observe;

import dev.regent.fleet.Coordinator;
import dev.regent.fleet.FleetSpec;
import dev.regent.fleet.FleetUnavailable;
import dev.regent.fleet.FleetView;
import dev.regent.fleet.RolloutDecision;
import dev.regent.spec.DesiredState;
import java.util.HashSet;
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

    /** {@code observed} with the fleet's turn for {@code revision} when the desired state has a fleet; else unchanged. */
    public ObservedHost addTo(ObservedHost observed, DesiredState desired, String revision) {
        return desired.fleet().map(fleet -> observed.withFleet(read(fleet, revision))).orElse(observed);
    }

    public ObservedFleet read(FleetSpec fleet, String revision) {
        var others = new HashSet<>(ledger.revisions());
        others.remove(revision);
        try {
            FleetView view = coordinator.view(revision);
            boolean holds = view.slotHolders(fleet.rollout().maxParallel()).contains(host);
            return new ObservedFleet(host, revision, rule.decide(host, fleet, revision, view), Optional.of(view), holds,
                    others);
        } catch (FleetUnavailable e) {
            return new ObservedFleet(host, revision, new RolloutDecision.Unavailable(e.getMessage()), Optional.empty(),
                    false, others);
        }
    }
}
