package dev.regent.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Which operations break the build now live, one row per case; and the opt-in by migration name. */
class MigrationCheckerTest {
    private static final String ID = "pages.0002_change";

    static Stream<Arguments> operations() {
        return Stream.of(
                // safe: the old code never sees the difference
                row(MigrationOperation.of("CreateModel").on("note", null), null),
                row(MigrationOperation.of("AddField").on("note", "title").withNull(true, false, false), null),
                row(MigrationOperation.of("AddField").on("note", "tags").withNull(false, false, false).asManyToMany(), null),
                row(MigrationOperation.of("AddField").on("note", "flag").withNull(false, true, true), null),
                row(MigrationOperation.of("AddIndex").on("note", null), null),
                row(MigrationOperation.of("RunPython"), null),
                row(MigrationOperation.of("AlterField").on("note", "body").withNull(true, false, false).withWasNull(false), null),
                row(MigrationOperation.of("AlterField").on("note", "body").withNull(false, false, false).withWasNull(false), null),
                row(MigrationOperation.of("RunSQL").withSql("CREATE INDEX CONCURRENTLY i ON pages_note (title)"), null),
                // breaking
                row(MigrationOperation.of("RemoveField").on("note", "body"), "drops a column"),
                row(MigrationOperation.of("DeleteModel").on("note", null), "drops a table"),
                row(MigrationOperation.of("RenameField").on("note", null).withNames("body", "text"), "renames a column"),
                row(MigrationOperation.of("RenameModel").withNames("Note", "Memo"), "renames a table"),
                row(MigrationOperation.of("AlterModelTable").on("note", null), "renames a table"),
                row(MigrationOperation.of("AddField").on("note", "flag").withNull(false, false, false), "NOT NULL column"),
                row(MigrationOperation.of("AddField").on("note", "flag").withNull(false, true, false),
                        "Django drops the field's default"),
                row(MigrationOperation.of("AlterField").on("note", "body").withNull(false, false, false).withWasNull(true),
                        "makes a nullable column NOT NULL"),
                row(MigrationOperation.of("AlterField").on("note", "body").withNull(false, false, false),
                        "whether it was nullable before is unknown"),
                row(MigrationOperation.of("RunSQL").withSql("alter table pages_note drop column body"), "drops, renames"),
                row(MigrationOperation.of("RunSQL").withSql("ALTER TABLE t RENAME TO u"), "drops, renames"),
                row(MigrationOperation.of("RunSQL").withSql("ALTER TABLE t ALTER COLUMN c SET  NOT NULL"), "sets NOT NULL"),
                row(MigrationOperation.of("RunSQL").withSql("TRUNCATE pages_note"), "truncates"));
    }

    private static Arguments row(MigrationOperation op, String why) {
        return Arguments.of(op.describe(), op, why);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("operations")
    void eachOperationIsJudgedAgainstTheLiveBuild(String name, MigrationOperation op, String why) {
        CheckResult result = MigrationChecker.check(plan(op), Set.of());

        if (why == null) {
            assertThat(result.passes()).isTrue();
            assertThat(result.refused()).isEmpty();
        } else {
            assertThat(result.refused()).singleElement().satisfies(v -> {
                assertThat(v.migration()).isEqualTo(ID);
                assertThat(v.operation()).isEqualTo(op.describe());
                assertThat(v.why()).contains(why);
            });
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("operations")
    void optingInByNameLetsEveryOperationThroughAndRemembersIt(String name, MigrationOperation op, String why) {
        CheckResult result = MigrationChecker.check(plan(op), Set.of(ID));

        assertThat(result.passes()).isTrue();
        assertThat(result.allowedMigrations()).isEqualTo(why == null ? List.of() : List.of(ID));
    }

    @Test
    void anOptInNamesOneMigrationOnly() {
        var drop = new PendingMigration("pages", "0003_drop", false, List.of(MigrationOperation.of("RemoveField").on("note", "body")));
        var rename = new PendingMigration("pages", "0004_rename", false,
                List.of(MigrationOperation.of("RenameField").on("note", null).withNames("title", "name")));

        CheckResult result = MigrationChecker.check(new MigrationPlan(true, List.of(drop, rename), List.of(), List.of()),
                Set.of("pages.0003_drop"));

        assertThat(result.refused()).extracting(Violation::migration).containsExactly("pages.0004_rename");
        assertThat(result.allowedMigrations()).containsExactly("pages.0003_drop");
        assertThat(result.refused().get(0).describe())
                .isEqualTo("pages.0004_rename: RenameField note title -> name: renames a column the live build's code still uses by its old name");
    }

    @Test
    void unapplyingIsRefusedWhateverTheOperation() {
        var back = new PendingMigration("pages", "0002_change", true, List.of(MigrationOperation.of("CreateModel")));

        assertThat(MigrationChecker.check(new MigrationPlan(true, List.of(back), List.of(), List.of()), Set.of()).refused())
                .singleElement().extracting(Violation::why).asString().contains("unapplies");
    }

    private static MigrationPlan plan(MigrationOperation op) {
        return new MigrationPlan(true, List.of(new PendingMigration("pages", "0002_change", false, List.of(op))),
                List.of(), List.of());
    }

    @Test
    void operationsOnAModelCreatedEarlierInThePlanBreakNothing() {
        // django.contrib.contenttypes on a fresh database: 0001 creates the table, 0002 drops a column of it.
        var initial = new PendingMigration("contenttypes", "0001_initial", false,
                List.of(MigrationOperation.of("CreateModel").on("ContentType", null)));
        var remove = new PendingMigration("contenttypes", "0002_remove_content_type_name", false, List.of(
                MigrationOperation.of("AlterField").on("contenttype", "name").withNull(true, false, false).withWasNull(false),
                MigrationOperation.of("RemoveField").on("contenttype", "name")));
        var other = new PendingMigration("pages", "0002_drop", false, List.of(MigrationOperation.of("RemoveField").on("contenttype", "name")));

        CheckResult result = MigrationChecker.check(new MigrationPlan(true, List.of(initial, remove, other), List.of(), List.of()),
                Set.of());

        assertThat(result.refused()).extracting(Violation::migration).as("the same model name in another app is another table")
                .containsExactly("pages.0002_drop");
    }

    @Test
    void withNoLiveBuildNothingIsRefusedButBreakingMigrationsStillCount() {
        CheckResult result = MigrationChecker.check(plan(MigrationOperation.of("RemoveField").on("note", "body")), Set.of(), false);

        assertThat(result.passes()).isTrue();
        assertThat(result.allowedMigrations()).containsExactly(ID);
    }
}
