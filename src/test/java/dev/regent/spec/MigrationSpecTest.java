package dev.regent.spec;

import static dev.regent.spec.SpecTexts.parse;
import static dev.regent.spec.SpecTexts.valid;
import static dev.regent.spec.Fixtures.errorFor;
import static dev.regent.spec.Fixtures.errorsOf;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** spec.migrations and a build's allowUnsafeRollback: parsed, defaulted, and rejected by file:line:field. */
class MigrationSpecTest {
    private static final String HEADER = """
            apiVersion: regent/v1
            kind: Host
            metadata: {name: demo}
            spec:
              source: {repo: ., path: app}
              builds: {a: {ref: HEAD}, b: {ref: HEAD, allowUnsafeRollback: true}}
              live: a
            """;

    @Test
    void everySettingIsRead() {
        DesiredState state = valid(HEADER + """
                  migrations:
                    lockTimeout: 2s
                    statementTimeout: 1m30s
                    allow: [pages.0003_remove_note_body, shop.0010_drop_cart]
                """);

        assertThat(state.migrations()).isEqualTo(new MigrationSpec(Duration.ofSeconds(2), Duration.ofSeconds(90),
                Set.of("pages.0003_remove_note_body", "shop.0010_drop_cart")));
        assertThat(state.migrations().pgOptions()).isEqualTo("-c lock_timeout=2000 -c statement_timeout=90000");
        assertThat(state.builds().get("b").allowUnsafeRollback()).isTrue();
        assertThat(state.builds().get("a").allowUnsafeRollback()).isFalse();
    }

    @Test
    void absentMeansFiveAndSixtySecondsAndNothingAllowed() {
        assertThat(valid(HEADER).migrations()).isEqualTo(MigrationSpec.DEFAULT);
        assertThat(MigrationSpec.DEFAULT.lockTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(MigrationSpec.DEFAULT.statementTimeout()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void badValuesAreRejectedNamingTheFieldAndItsLine() {
        List<SpecError> errors = errorsOf(parse(HEADER.replace("allowUnsafeRollback: true", "allowUnsafeRollback: maybe")
                + """
                  migrations:
                    lockTimeout: 0s
                    statementTimeout: forever
                    allow: [pages, pages.0003_ok]
                    postpone: true
                """));

        assertThat(errorFor(errors, "spec.builds.b.allowUnsafeRollback").line()).isEqualTo(6);
        assertThat(errorFor(errors, "spec.migrations.lockTimeout")).satisfies(e -> {
            assertThat(e.line()).isEqualTo(9);
            assertThat(e.message()).contains("between 1 s and 30 min");
        });
        assertThat(errorFor(errors, "spec.migrations.statementTimeout").line()).isEqualTo(10);
        assertThat(errorFor(errors, "spec.migrations.allow[0]")).satisfies(e -> {
            assertThat(e.line()).isEqualTo(11);
            assertThat(e.message()).contains("must name a migration as app.name");
        });
        assertThat(errors).anySatisfy(e -> assertThat(e.toString()).contains("postpone"));
    }

    @Test
    void postMigrateIsAnArgumentListAndAbsentMeansNone() {
        DesiredState state = valid(HEADER + """
                  migrations:
                    postMigrate: [venv/bin/python, app/manage.py, contract, --verbosity, 2]
                """);

        assertThat(state.migrations().postMigrate())
                .containsExactly("venv/bin/python", "app/manage.py", "contract", "--verbosity", "2");
        assertThat(state.migrations().lockTimeout()).isEqualTo(MigrationSpec.DEFAULT.lockTimeout());
        assertThat(valid(HEADER).migrations().postMigrate()).isEmpty();
    }

    @Test
    void aShellStringAnEmptyListOrAnEmptyProgramIsRejectedNamingTheFieldAndItsLine() {
        List<SpecError> shell = errorsOf(parse(HEADER + """
                  migrations:
                    postMigrate: "venv/bin/python app/manage.py contract"
                """));
        List<SpecError> empty = errorsOf(parse(HEADER + """
                  migrations:
                    lockTimeout: 2s
                    postMigrate: []
                """));
        List<SpecError> noProgram = errorsOf(parse(HEADER + """
                  migrations:
                    postMigrate:
                      - ""
                      - contract
                """));

        assertThat(errorFor(shell, "spec.migrations.postMigrate")).satisfies(e -> {
            assertThat(e.line()).isEqualTo(9);
            assertThat(e.toString()).contains("desired-state.yaml:9");
        });
        assertThat(errorFor(empty, "spec.migrations.postMigrate")).satisfies(e -> {
            assertThat(e.line()).isEqualTo(10);
            assertThat(e.message()).contains("must list the program and its arguments");
        });
        assertThat(errorFor(noProgram, "spec.migrations.postMigrate[0]")).satisfies(e -> {
            assertThat(e.line()).isEqualTo(10);
            assertThat(e.message()).contains("the program to run must not be empty");
        });
    }
}
