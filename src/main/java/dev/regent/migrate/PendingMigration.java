package dev.regent.migrate;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/** One migration `migrate` would apply, in plan order; backwards is never expected (Regent never unapplies). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PendingMigration(String app, String name, boolean backwards, List<MigrationOperation> operations) {

    /** Django's "app.name", as spec.migrations.allow lists it. */
    public String id() {
        return app + "." + name;
    }
}
