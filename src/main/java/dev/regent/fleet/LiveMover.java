package dev.regent.fleet;

import java.util.Optional;

/** What a rollout needs from its host: whether live must move to a revision, and the move itself. */
public interface LiveMover {

    /** True while live does not yet serve what revision asks for. */
    boolean needsMove(String revision);

    /**
     * Moves live to what revision asks for and runs the checks after the move. Called only while
     * this host holds a rollout slot.
     */
    MoveOutcome move(String revision);

    /** The build live serves now, for the host's record. */
    default Optional<String> live() {
        return Optional.empty();
    }

    /** The build staged now, for the host's record. */
    default Optional<String> stage() {
        return Optional.empty();
    }
}
