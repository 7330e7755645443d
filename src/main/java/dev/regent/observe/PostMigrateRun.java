package dev.regent.observe;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.List;

/**
 * The contract step (spec.migrations.postMigrate) of one migrated build, kept in its
 * {@link MigrationRecord}. {@code run} is the argument list it was started with: a step recorded
 * for the same list is never started again (RUNNING left by a crash included: at most once);
 * another list in the desired state runs it again.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PostMigrateRun(List<String> run, Status status, String output, Instant at) {

    public enum Status { RUNNING, SUCCEEDED, FAILED }

    public PostMigrateRun {
        run = List.copyOf(run);
    }

    /** Whether this record settles the step {@code wanted}: it was started with that very list. */
    public boolean settles(List<String> wanted) {
        return run.equals(wanted);
    }
}
