package dev.regent.observe;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.regent.fs.HostFiles;
import dev.regent.fs.HostLayout;
import dev.regent.migrate.MigrationPlan;
import dev.regent.migrate.Violation;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The release phase of one build ({@code deploy/run/<build>.migrated.json}): the plan it found,
 * the checker's verdict, and how far it got. Written at each step, so a crash leaves the last
 * state; only {@link State#MIGRATED} and {@link State#SKIPPED} let the build take a role.
 * {@code allowedBreaking}: opted-in breaking migrations of this plan. {@code previous}: the builds
 * that held a role (live, stage, nginx's config) when this build was migrated; its contract step
 * ({@code postMigrate}) waits until none of them holds one. Empty in a record written before it was
 * kept: then the step waits until no other build holds a role. {@code migratedBy}: in a fleet, the
 * host that ran the migrations of this build's code when it was another one (this host ran none).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record MigrationRecord(String build, String ref, State state, MigrationPlan plan, List<Violation> refused,
                              List<String> allowedBreaking, Optional<String> failedMigration, String detail,
                              Instant at, Optional<List<String>> previous,
                              Optional<PostMigrateRun> postMigrate, Optional<String> migratedBy) {
    public static final String KIND = "migrated";

    public MigrationRecord {
        // Absent in records written before these fields existed.
        previous = previous == null ? Optional.empty() : previous.map(List::copyOf);
        postMigrate = postMigrate == null ? Optional.empty() : postMigrate;
        migratedBy = migratedBy == null ? Optional.empty() : migratedBy;
    }

    public MigrationRecord(String build, String ref, State state, MigrationPlan plan, List<Violation> refused,
                           List<String> allowedBreaking, Optional<String> failedMigration, String detail,
                           Instant at, Optional<List<String>> previous, Optional<PostMigrateRun> postMigrate) {
        this(build, ref, state, plan, refused, allowedBreaking, failedMigration, detail, at, previous, postMigrate,
                Optional.empty());
    }

    public MigrationRecord(String build, String ref, State state, MigrationPlan plan, List<Violation> refused,
                           List<String> allowedBreaking, Optional<String> failedMigration, String detail, Instant at) {
        this(build, ref, state, plan, refused, allowedBreaking, failedMigration, detail, at, Optional.empty(), Optional.empty());
    }

    public enum State { PLANNED, REFUSED, FAILED, MIGRATED, SKIPPED }

    public static Optional<MigrationRecord> read(HostLayout layout, String build) {
        return HostFiles.readJson(layout.marker(build, KIND), MigrationRecord.class);
    }

    /** Whether this record is about the complete build {@code record} (same ref, not older), as for {@link BuildFailure}. */
    public boolean concerns(BuildRecord record) {
        return ref.equals(record.ref()) && !at.isBefore(record.createdAt());
    }

    /** The build may take a role: its migrations ran (or it has no database). */
    public boolean done() {
        return state == State.MIGRATED || state == State.SKIPPED;
    }

    /** The phase stopped the build: refused or failed. */
    public boolean stopped() {
        return state == State.REFUSED || state == State.FAILED;
    }

    public MigrationRecord with(State next, String why, Instant when) {
        return new MigrationRecord(build, ref, next, plan, refused, allowedBreaking, failedMigration, why, when,
                previous, postMigrate, migratedBy);
    }

    public MigrationRecord withPrevious(List<String> builds) {
        return new MigrationRecord(build, ref, state, plan, refused, allowedBreaking, failedMigration, detail, at,
                Optional.of(builds), postMigrate, migratedBy);
    }

    /** Whether the contract step waits while {@code other} holds a role. */
    public boolean waitsFor(String other) {
        return previous.map(p -> p.contains(other)).orElse(!other.equals(build));
    }

    /** Keeps {@code at}: the record still concerns the same build (see {@link #concerns}). */
    public MigrationRecord withPostMigrate(PostMigrateRun run) {
        return new MigrationRecord(build, ref, state, plan, refused, allowedBreaking, failedMigration, detail, at,
                previous, Optional.of(run), migratedBy);
    }
}
