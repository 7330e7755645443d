package dev.regent.fleet;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Decides, from one read of the fleet store, what one host whose live must move to a revision
 * may do now. In this order: a halt of the revision stops every host; a paused or drained host
 * never moves; a host that holds a slot (is among the first maxParallel of the slot queue) may
 * move; a host may join the queue only when every host before it in the rollout order that is
 * alive and moves live has either converged on the revision or holds a slot; otherwise it waits
 * for them.
 *
 * <p>The rollout order is the policy's order, then the fleet's other hosts by name. A host
 * without a record in the view is taken as gone (its lease expired) and does not block the
 * hosts after it: the rollout goes on without it and it moves when it comes back.
 */
public final class RolloutGate {
    private RolloutGate() {
    }

    public static RolloutDecision decide(String host, FleetSpec fleet, String revision, FleetView view) {
        Optional<Halt> halt = view.halt();
        if (halt.isPresent()) {
            return new RolloutDecision.Halted(halt.get());
        }
        if (pausedInFleet(host, fleet)) {
            return new RolloutDecision.Paused(host);
        }
        List<String> holders = view.slotHolders(fleet.rollout().maxParallel());
        if (holders.contains(host)) {
            return new RolloutDecision.MayMove(revision);
        }
        List<String> unmoved = predecessors(host, fleet).stream()
                .filter(before -> !pausedInFleet(before, fleet))
                .filter(before -> view.hosts().containsKey(before))
                .filter(before -> !holders.contains(before) && !convergedOn(view.hosts().get(before), revision))
                .toList();
        if (!unmoved.isEmpty()) {
            return new RolloutDecision.WaitForPredecessors(unmoved);
        }
        return new RolloutDecision.Queue(revision, holders);
    }

    /** The fleet's hosts in the order they move live: the policy's order, then the others by name. */
    public static List<String> rolloutOrder(FleetSpec fleet) {
        Set<String> inFleet = new LinkedHashSet<>();
        fleet.hosts().forEach(fleetHost -> inFleet.add(fleetHost.name()));
        Set<String> ordered = new LinkedHashSet<>();
        fleet.rollout().order().stream().filter(inFleet::contains).forEach(ordered::add);
        inFleet.stream().filter(name -> !ordered.contains(name)).sorted(Comparator.naturalOrder()).forEach(ordered::add);
        return List.copyOf(ordered);
    }

    /** The hosts before host in the rollout order; a host the fleet does not name comes after all of them. */
    private static List<String> predecessors(String host, FleetSpec fleet) {
        List<String> order = new ArrayList<>(rolloutOrder(fleet));
        int position = order.indexOf(host);
        return position < 0 ? order : order.subList(0, position);
    }

    private static boolean pausedInFleet(String host, FleetSpec fleet) {
        return fleet.hosts().stream().anyMatch(fleetHost -> fleetHost.name().equals(host) && !fleetHost.movesLive());
    }

    private static boolean convergedOn(HostRecord record, String revision) {
        return record.state() == HostRecord.State.CONVERGED && record.revision().equals(revision);
    }
}
