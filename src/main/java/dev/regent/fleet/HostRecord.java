package dev.regent.fleet;

import java.time.Instant;
import java.util.Optional;

/**
 * What a host publishes about itself under its lease, read by the other hosts and by
 * {@code regent fleet status}. revision: the desired-state revision it applies. live/stage: the
 * builds it serves now. moving: the revision whose live it is moving (it holds a slot).
 * message: why it waits or what failed, in words. A host without a record is taken as gone.
 */
public record HostRecord(String host, String revision, Optional<String> live, Optional<String> stage,
                         State state, String message, Instant at) {

    public enum State {
        /** Live is what the revision asks for. */
        CONVERGED,
        /** Building, warming or waiting for its turn. */
        WAITING,
        /** Holds a slot and moves live. */
        MOVING,
        /** Its move or its checks after the move failed; it wrote the halt. */
        FAILED,
        /** The fleet file pauses or drains it. */
        PAUSED
    }
}
