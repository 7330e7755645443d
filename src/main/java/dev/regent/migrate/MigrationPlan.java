package dev.regent.migrate;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * What `regent_migrations.py describe` printed for a build: whether a database is configured at
 * all, the pending plan, the migrations the build's code knows, and those the database has applied.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record MigrationPlan(boolean database, List<PendingMigration> plan, List<String> known, List<String> applied) {

    public static MigrationPlan noDatabase() {
        return new MigrationPlan(false, List.of(), List.of(), List.of());
    }

    public List<String> pendingIds() {
        return plan.stream().map(PendingMigration::id).toList();
    }
}
