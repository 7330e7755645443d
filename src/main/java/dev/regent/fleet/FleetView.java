package dev.regent.fleet;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One read of the fleet store for a revision: the records of the hosts alive (by host name),
 * the slot queue for the revision (host names, oldest first: the first maxParallel hold a slot,
 * the rest wait), and the halt of the revision if one was written.
 */
public record FleetView(Map<String, HostRecord> hosts, List<String> slotQueue, Optional<Halt> halt) {

    public FleetView {
        hosts = Map.copyOf(hosts);
        slotQueue = List.copyOf(slotQueue);
    }

    public List<String> slotHolders(int maxParallel) {
        return slotQueue.subList(0, Math.min(maxParallel, slotQueue.size()));
    }
}
