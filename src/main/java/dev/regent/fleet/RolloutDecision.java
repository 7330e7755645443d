package dev.regent.fleet;

import java.util.List;

/**
 * What the rollout lets one host do about moving live to a revision now (see RolloutGate).
 * Only {@link MayMove} allows the move; every other answer leaves live where it is.
 */
public sealed interface RolloutDecision {

    /** In words, for status and logs. */
    String message();

    /** The host holds a slot: it may move live. */
    record MayMove(String revision) implements RolloutDecision {
        public String message() {
            return "holds a rollout slot for revision " + revision;
        }
    }

    /** The host may join the slot queue (and waits there until it holds a slot). */
    record Queue(String revision, List<String> holders) implements RolloutDecision {
        public Queue {
            holders = List.copyOf(holders);
        }

        public String message() {
            return holders.isEmpty() ? "queues for a rollout slot" : "waits for a rollout slot (held by " + String.join(", ", holders) + ")";
        }
    }

    /** Hosts before it in the rollout order have not moved yet. */
    record WaitForPredecessors(List<String> hosts) implements RolloutDecision {
        public WaitForPredecessors {
            hosts = List.copyOf(hosts);
        }

        public String message() {
            return "waits for " + String.join(", ", hosts) + " to move live first";
        }
    }

    /** The revision's rollout stopped at a host whose move or checks failed; a newer revision moves again. */
    record Halted(Halt halt) implements RolloutDecision {
        public String message() {
            return "the rollout of revision " + halt.revision() + " halted: " + halt.host() + " failed: " + halt.reason();
        }
    }

    /** The fleet file pauses or drains this host: it never moves live. */
    record Paused(String host) implements RolloutDecision {
        public String message() {
            return host + " is paused in the fleet file";
        }
    }

    /** The fleet store did not answer (unreachable, no quorum): nothing moves until it does. */
    record Unavailable(String reason) implements RolloutDecision {
        public String message() {
            return "the fleet store is unavailable: " + reason;
        }
    }
}
