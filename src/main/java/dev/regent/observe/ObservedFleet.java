package dev.regent.observe;

import dev.regent.fleet.FleetView;
import dev.regent.fleet.Halt;
import dev.regent.fleet.MigrationRun;
import dev.regent.fleet.RolloutDecision;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * This host's turn in its fleet's rollout of {@code revision}, as read this pass. {@code view}: the
 * store's answer, empty when it did not answer (then {@code decision} is Unavailable).
 * {@code holdsSlot}: the host is among the first maxParallel of the revision's slot queue.
 * {@code otherSlots}: the revisions other than {@code revision} whose queue this host joined and has
 * not left ({@link SlotLedger}). {@code migrations}: by build, the fleet's migration of each build the
 * plan needs migrated (read only when the store answered). {@code unrecorded}: migrations this host ran
 * whose result the store has not confirmed ({@link MigrationLedger}).
 */
public record ObservedFleet(String host, String revision, RolloutDecision decision, Optional<FleetView> view,
                            boolean holdsSlot, Set<String> otherSlots, Map<String, FleetMigration> migrations,
                            List<MigrationRun> unrecorded) {

    public ObservedFleet {
        otherSlots = Set.copyOf(otherSlots);
        migrations = Map.copyOf(migrations);
        unrecorded = List.copyOf(unrecorded);
    }

    public ObservedFleet(String host, String revision, RolloutDecision decision, Optional<FleetView> view,
                         boolean holdsSlot, Set<String> otherSlots) {
        this(host, revision, decision, view, holdsSlot, otherSlots, Map.of(), List.of());
    }

    /** Whether the host is in the revision's slot queue, holding a slot or waiting for one. */
    public boolean queued() {
        return view.filter(v -> v.slotQueue().contains(host)).isPresent();
    }

    /** The halt of the revision, if one stands. */
    public Optional<Halt> halt() {
        return view.flatMap(FleetView::halt);
    }
}
