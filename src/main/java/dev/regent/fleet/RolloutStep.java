package dev.regent.fleet;

import java.util.Optional;

/** What one step of a host's rollout did (see RolloutDriver). */
public sealed interface RolloutStep {

    /** In words, for status and logs. */
    String message();

    /**
     * True when the host should step again soon: it waits for a slot, for its predecessors, for
     * the fleet store, or for a halt it could not write yet. False once it converged, moved,
     * failed with its halt written, or is halted or paused (only a new revision or fleet file changes that).
     */
    boolean stepAgainSoon();

    /** Live already serves the revision; nothing moved. */
    record AlreadyLive(String revision) implements RolloutStep {
        public String message() {
            return "live already serves revision " + revision;
        }

        public boolean stepAgainSoon() {
            return false;
        }
    }

    /** Live did not move; the decision says why. */
    record Held(RolloutDecision decision) implements RolloutStep {
        public String message() {
            return decision.message();
        }

        public boolean stepAgainSoon() {
            return !(decision instanceof RolloutDecision.Halted || decision instanceof RolloutDecision.Paused);
        }
    }

    /** Live moved to the revision, its checks passed and the slot was given back. */
    record Moved(String revision) implements RolloutStep {
        public String message() {
            return "moved live to revision " + revision;
        }

        public boolean stepAgainSoon() {
            return false;
        }
    }

    /**
     * The move or its checks failed. halt: the halt that stands for the revision (this host's or
     * an earlier one); empty when the store could not take it yet, in which case the host keeps
     * its slot, so nothing else moves, and writes the halt on its next step.
     */
    record MoveFailed(String revision, String reason, Optional<Halt> halt) implements RolloutStep {
        public String message() {
            return "moving live to revision " + revision + " failed: " + reason
                    + (halt.isPresent() ? "" : " (the halt is not written yet)");
        }

        public boolean stepAgainSoon() {
            return halt.isEmpty();
        }
    }
}
