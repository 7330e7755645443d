package dev.regent.fleet;

import java.time.Duration;
import java.util.List;

/**
 * How a fleet moves live. maxParallel: at most this many hosts move live at once (the slots of
 * the fleet's semaphore). order: hosts that move before the others, in this order (hosts not
 * named follow, by name). slotTtl: the lease of a host's records and slot; a host that stops
 * renewing it loses its slot after at most this long.
 */
public record RolloutPolicy(int maxParallel, List<String> order, OnFailure onFailure, Duration slotTtl) {

    public static final Duration DEFAULT_SLOT_TTL = Duration.ofSeconds(5);
    public static final RolloutPolicy DEFAULT = new RolloutPolicy(1, List.of(), OnFailure.HALT, DEFAULT_SLOT_TTL);

    public RolloutPolicy {
        order = List.copyOf(order);
        if (maxParallel < 1) {
            throw new IllegalArgumentException("maxParallel must be at least 1, not " + maxParallel);
        }
    }

    public enum OnFailure {
        /** A host whose move or checks fail writes a halt for the revision; no other host moves to it. */
        HALT
    }
}
