package dev.regent.migrate;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which pending operations would break the build now live, which keeps running against the same
 * database while and after the new build migrates (in the spirit of django-migration-linter).
 * Pure. Conservative: what it cannot prove harmless to the old code it refuses, and the desired
 * state opts in per migration name ({@code spec.migrations.allow}).
 */
public final class MigrationChecker {
    private static final Pattern BREAKING_SQL = Pattern.compile(
            "\\b(DROP|RENAME|TRUNCATE)\\b|\\bSET\\s+NOT\\s+NULL\\b", Pattern.CASE_INSENSITIVE);

    private MigrationChecker() {
    }

    public static CheckResult check(MigrationPlan plan, Set<String> allowed) {
        return check(plan, allowed, true);
    }

    /**
     * {@code liveServes}: another build serves live now. Without one nothing is refused, but what
     * breaks older code still counts as allowed (older builds become unsafe to roll back to). An
     * operation on a model created earlier in the same plan is never a violation: no running code
     * knows that table yet (a fresh database applying django.contrib's history, for example).
     */
    public static CheckResult check(MigrationPlan plan, Set<String> allowed, boolean liveServes) {
        var refused = new ArrayList<Violation>();
        var optedIn = new ArrayList<Violation>();
        var created = new HashSet<String>();
        for (PendingMigration migration : plan.plan()) {
            for (MigrationOperation op : migration.operations()) {
                boolean newModel = op.model().map(m -> created.contains(key(migration, m))).orElse(false)
                        || op.oldName().filter(o -> op.type().equals("RenameModel"))
                        .map(o -> created.contains(key(migration, o))).orElse(false);
                if (op.type().equals("CreateModel")) {
                    op.model().ifPresent(m -> created.add(key(migration, m)));
                }
                if (newModel && !migration.backwards()) {
                    continue;
                }
                problem(migration, op).map(why -> new Violation(migration.id(), op.describe(), why))
                        .ifPresent(v -> (allowed.contains(migration.id()) || !liveServes ? optedIn : refused).add(v));
            }
        }
        return new CheckResult(List.copyOf(refused), List.copyOf(optedIn));
    }

    private static String key(PendingMigration migration, String model) {
        return migration.app() + "." + model.toLowerCase(java.util.Locale.ROOT);
    }

    /** Why this operation breaks the old code, if it does. */
    static Optional<String> problem(PendingMigration migration, MigrationOperation op) {
        if (migration.backwards()) {
            return Optional.of("it unapplies a migration, which Regent never does");
        }
        return switch (op.type()) {
            case "RemoveField" -> Optional.of("drops a column the live build's code still selects");
            case "DeleteModel" -> Optional.of("drops a table the live build's code still uses");
            case "RenameField" -> Optional.of("renames a column the live build's code still uses by its old name");
            case "RenameModel", "AlterModelTable" ->
                    Optional.of("renames a table the live build's code still uses by its old name");
            case "AddField" -> addField(op);
            case "AlterField" -> alterField(op);
            case "RunSQL" -> op.sql().filter(sql -> BREAKING_SQL.matcher(sql).find())
                    .map(sql -> "its SQL drops, renames, truncates or sets NOT NULL (" + firstLine(sql) + ")");
            default -> Optional.empty();
        };
    }

    private static Optional<String> addField(MigrationOperation op) {
        if (op.manyToMany() || op.nullable().orElse(false) || op.dbDefault()) {
            return Optional.empty();
        }
        return Optional.of("adds a NOT NULL column without a default kept by the database"
                + (op.hasDefault() ? " (Django drops the field's default right after adding the column)" : "")
                + ", so the live build's inserts fail; make it null=True, or use db_default");
    }

    private static Optional<String> alterField(MigrationOperation op) {
        if (op.nullable().orElse(true) || op.wasNull().equals(Optional.of(false))) {
            return Optional.empty();
        }
        return Optional.of(op.wasNull().isPresent()
                ? "makes a nullable column NOT NULL, so the live build's inserts without it fail"
                : "makes a column NOT NULL and whether it was nullable before is unknown");
    }

    private static String firstLine(String sql) {
        String line = sql.strip().lines().findFirst().orElse("");
        return line.length() > 80 ? line.substring(0, 77) + "..." : line;
    }
}
