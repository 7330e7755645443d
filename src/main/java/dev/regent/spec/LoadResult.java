package dev.regent.spec;

import java.util.List;

/** The outcome of loading a desired-state file: a validated state, or every problem found. */
public sealed interface LoadResult {

    record Valid(DesiredState state) implements LoadResult {
    }

    /** Never empty; sorted by line, then column. */
    record Invalid(List<SpecError> errors) implements LoadResult {
        public Invalid {
            errors = List.copyOf(errors);
        }
    }
}
