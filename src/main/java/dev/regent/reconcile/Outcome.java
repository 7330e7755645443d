package dev.regent.reconcile;

import dev.regent.spec.SpecError;
import java.util.List;

/**
 * How a reconcile ended. Converged: the host matches. Blocked: nothing more can be done now, for the
 * reasons given (a failed build, a role waiting on a build). Failed: an action failed; retryable
 * says whether the next trigger may try again. Invalid: the desired state was rejected and nothing
 * was changed.
 */
public sealed interface Outcome {
    int actionsApplied();

    record Converged(int actionsApplied) implements Outcome {
    }

    record Blocked(List<dev.regent.plan.BlockReason> reasons, int actionsApplied) implements Outcome {
    }

    record Failed(String action, String reason, boolean retryable, int actionsApplied) implements Outcome {
    }

    record Invalid(List<SpecError> errors, int actionsApplied) implements Outcome {
    }

    /** A newer trigger arrived between two actions; the loop starts over from a fresh read. */
    record Superseded(int actionsApplied) implements Outcome {
    }

    /** Exit code a script can trust: 0 converged, 1 failed or blocked, 2 invalid desired state. */
    static int exitCode(Outcome outcome) {
        if (outcome instanceof Converged) {
            return 0;
        }
        return outcome instanceof Invalid ? 2 : 1;
    }

    /** The reasons to show a person: empty when converged. */
    static java.util.List<String> reasons(Outcome outcome) {
        if (outcome instanceof Blocked b) {
            return b.reasons().stream().map(dev.regent.plan.BlockReason::message).toList();
        }
        if (outcome instanceof Failed f) {
            return java.util.List.of(f.action() + ": " + f.reason());
        }
        if (outcome instanceof Invalid i) {
            return i.errors().stream().map(Object::toString).toList();
        }
        if (outcome instanceof Superseded) {
            return java.util.List.of("superseded by a newer desired state");
        }
        return java.util.List.of();
    }
}
