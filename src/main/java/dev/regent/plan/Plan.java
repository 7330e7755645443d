package dev.regent.plan;

import dev.regent.spec.SpecError;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What it takes to converge, in order. {@code blocked} lists what cannot be done now and why;
 * {@code errors} rejects the desired state against the host, and then there are no actions at all.
 * {@code lookAgainAt}: when planning again may give another answer with nothing else changed (the
 * analysis of a new live build judges its next interval then).
 */
public record Plan(List<Action> actions, List<BlockReason> blocked, List<SpecError> errors, Optional<Instant> lookAgainAt) {

    public Plan(List<Action> actions, List<BlockReason> blocked, List<SpecError> errors) {
        this(actions, blocked, errors, Optional.empty());
    }

    public boolean converged() {
        return actions.isEmpty() && blocked.isEmpty() && errors.isEmpty();
    }

    /** The blocked reasons as a person reads them. */
    public List<String> blockedMessages() {
        return blocked.stream().map(BlockReason::message).toList();
    }

    public Optional<Action> next() {
        return actions.stream().findFirst();
    }
}
