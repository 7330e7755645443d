package dev.regent.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.regent.fs.HostFiles;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * The release phase on a real stack with PostgreSQL: a sample project with a notes app whose live
 * page reads every column, and one commit per kind of migration. Each test starts from live a,
 * stage b (both at the first commit); the last one applies a breaking migration, so it runs last.
 * The contract step (postMigrate) writes a note titled after the build it runs for.
 *
 * <p>Isolated: it asserts that live fails no request under wrk while a build is made and migrated on
 * the same cores; next to another class's builds and load that failed twice (wrk's 5 s timeout).
 */
@Isolated
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MigrationsE2E {
    private static final String LOCK_TIMEOUT = "2s";
    private static final Pattern GAVE_UP = Pattern.compile("after ([0-9.]+) s");
    private static Stack stack;
    private static Commits commits;

    record Commits(String base, String raises, String dropsBody, String addsFlag, String addsTag) {
    }

    @BeforeAll
    static void start() throws Exception {
        stack = Stack.create(Stack.desiredState("PROJECT", "", "a", "b"));
        try {
            commits = NotesProject.commit(stack);
            stack.up();
            stack.converge(desired("", List.of()));
        } catch (Exception | Error e) {
            stack.close();
            throw e;
        }
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    /** Builds a and b at the base commit plus {@code more} (indented lines), live a, stage b. */
    private static String desired(String more, List<String> allow) {
        return desired(baseBuilds() + more, "a", "b", allow);
    }

    /** The lines of spec.builds for a and b, at the base commit. */
    private static String baseBuilds() {
        return build("a", commits.base()) + build("b", commits.base());
    }

    private static String desired(String builds, String live, String stage, List<String> allow) {
        return Stack.desiredState(stack.project, builds, live, stage)
                + "  migrations:\n    lockTimeout: " + LOCK_TIMEOUT + "\n    statementTimeout: 30s\n"
                + (allow.isEmpty() ? "" : "    allow: [" + String.join(", ", allow) + "]\n");
    }

    private static String build(String name, String ref) {
        return "    " + name + ": {ref: " + ref + "}\n";
    }

    @Test
    @Order(1)
    void aMigrationThatRaisesMarksTheBuildFailedNamingItWhileLiveServes() throws Exception {
        stack.converge(desired("", List.of()));
        String schema = schema();
        Load load = Load.start(stack.livePort, "/notes", 4, 600);
        await().atMost(Duration.ofSeconds(5)).until(load::running);

        stack.writeDesired(desired(baseBuilds() + build("c", commits.raises()), "a", "c", List.of()));
        var apply = stack.regent("apply");
        var seen = load.stop();

        System.out.println("migration that raises, live under load: " + seen.line());
        assertThat(apply.exit()).as(apply.output()).isNotZero();
        JsonNode c = buildStatus("c");
        assertThat(c.path("failure").path("step").asText()).isEqualTo("migrate notes.0002_raise");
        assertThat(c.path("failure").path("output").asText()).contains("RuntimeError: boom in notes.0002_raise");
        assertThat(c.path("migration").path("state").asText()).isEqualTo("FAILED");
        assertThat(c.path("migration").path("plan").toString()).contains("notes.0002_raise");
        assertThat(stack.servedBy(stack.livePort)).isEqualTo("a");
        assertThat(stack.servedBy(stack.stagePort)).isEqualTo("b");
        assertThat(seen.requests()).as(seen.report()).isPositive();
        assertThat(seen.failed()).as(seen.report()).isZero();
        assertThat(schema()).as("schema from information_schema").isEqualTo(schema);
    }

    @Test
    @Order(2)
    void aMigrationThatWouldBreakLiveIsRefusedBeforeAnySql() throws Exception {
        stack.converge(desired("", List.of()));
        String schema = schema();
        String appliedBefore = psql("SELECT string_agg(app || '.' || name, ',' ORDER BY id) FROM django_migrations");
        Load load = Load.start(stack.livePort, "/notes", 4, 600);
        await().atMost(Duration.ofSeconds(5)).until(load::running);

        stack.writeDesired(desired(baseBuilds() + build("d", commits.dropsBody()), "a", "d", List.of()));
        var apply = stack.regent("apply");
        var seen = load.stop();

        System.out.println("migration that would break live, live under load: " + seen.line());
        assertThat(apply.exit()).as(apply.output()).isNotZero();
        JsonNode d = buildStatus("d");
        assertThat(d.path("failure").path("step").asText()).isEqualTo("migrate notes.0002_drop_body");
        assertThat(d.path("failure").path("output").asText()).contains("refused before any SQL ran",
                "RemoveField note.body", "drops a column", "spec.migrations.allow");
        assertThat(d.path("migration").path("state").asText()).isEqualTo("REFUSED");
        assertThat(stack.servedBy(stack.livePort)).isEqualTo("a");
        assertThat(seen.failed()).as(seen.report()).isZero();
        assertThat(seen.requests()).as(seen.report()).isPositive();
        assertThat(schema()).as("schema from information_schema").isEqualTo(schema);
        assertThat(psql("SELECT string_agg(app || '.' || name, ',' ORDER BY id) FROM django_migrations"))
                .as("no migration recorded").isEqualTo(appliedBefore);
    }

    @Test
    @Order(3)
    void aMigrationBlockedByALockGivesUpWithinTheLockTimeoutPlusOneSecond() throws Exception {
        stack.converge(desired("", List.of()));
        var baseline = Load.start(stack.livePort, "/notes", 4, 5);
        await().atMost(Duration.ofSeconds(30)).until(() -> !baseline.running());
        var base = baseline.stop();
        Process holder = holdAccessShareLock();
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> psql("SELECT count(*) FROM pg_locks l JOIN pg_class c"
                    + " ON c.oid = l.relation WHERE c.relname = 'notes_note' AND l.mode = 'AccessShareLock' AND l.granted")
                    .equals("1"));
            Load load = Load.start(stack.livePort, "/notes", 4, 600);
            await().atMost(Duration.ofSeconds(5)).until(load::running);
            long started = System.nanoTime();

            stack.writeDesired(desired(baseBuilds() + build("f", commits.addsFlag()), "a", "f", List.of()));
            var apply = stack.regent("apply");
            long applySeconds = (System.nanoTime() - started) / 1_000_000_000;
            var during = load.stop();

            JsonNode f = buildStatus("f");
            String output = f.path("failure").path("output").asText();
            Matcher gaveUp = GAVE_UP.matcher(output);
            assertThat(gaveUp.find()).as(output).isTrue();
            double waited = Double.parseDouble(gaveUp.group(1));
            System.out.printf("migration blocked by a lock: lockTimeout %s, gave up after %.3f s (regent apply took %d s)%n"
                            + "  live p99 baseline %.1f ms (%s), during the apply %.1f ms (%s)%n",
                    LOCK_TIMEOUT, waited, applySeconds, base.p99Millis(), base.line(), during.p99Millis(), during.line());
            assertThat(apply.exit()).as(apply.output()).isNotZero();
            assertThat(f.path("failure").path("step").asText()).isEqualTo("migrate notes.0002_add_flag");
            assertThat(output).contains("lock timeout");
            assertThat(waited).as("gave up within lockTimeout + 1 s").isLessThanOrEqualTo(2.0 + 1.0);
            assertThat(during.failed()).as(during.report()).isZero();
            assertThat(stack.servedBy(stack.livePort)).isEqualTo("a");
        } finally {
            holder.destroy();
            psql("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE query LIKE '%regent-e2e-lock%'"
                    + " AND pid <> pg_backend_pid()");
        }
    }

    @Test
    @Order(4)
    void rowsWrittenBeforeAPromotionAreReadAfterItAndAfterARollbackUnderLoad() throws Exception {
        stack.converge(desired("", List.of()));
        for (int i = 0; i < 3; i++) {
            assertThat(stack.post(stack.livePort, "/notes", "title=before-promotion-" + i,
                    java.util.Map.of("Content-Type", "application/x-www-form-urlencoded"))).isEqualTo(201);
        }
        Load load = Load.start(stack.livePort, "/notes", 4, 900);
        await().atMost(Duration.ofSeconds(5)).until(load::running);
        String builds = baseBuilds() + build("g", commits.addsTag());

        stack.writeDesired(desired(builds, "a", "g", List.of()));
        var staged = stack.regent("apply");
        assertThat(staged.exit()).as(staged.output()).isZero();
        assertThat(staged.output()).contains("migrate the database for build g (then prove live build a still answers)");
        stack.writeDesired(desired(builds, "g", "a", List.of()));
        var promoted = stack.regent("apply");
        assertThat(promoted.exit()).as(promoted.output()).isZero();
        var afterPromotion = stack.get(stack.livePort, "/notes");
        stack.writeDesired(desired(builds, "a", "g", List.of()));
        var rolledBack = stack.regent("apply");
        assertThat(rolledBack.exit()).as(rolledBack.output()).isZero();
        var afterRollback = stack.get(stack.livePort, "/notes");
        var seen = load.stop();

        System.out.println("migration, promotion and rollback under load on live: " + seen.line());
        assertThat(afterPromotion.build()).isEqualTo("g");
        assertThat(afterPromotion.body()).contains("before-promotion-0", "before-promotion-2");
        assertThat(afterRollback.build()).isEqualTo("a");
        assertThat(afterRollback.body()).contains("before-promotion-0", "before-promotion-2");
        assertThat(seen.requests()).as(seen.report()).isPositive();
        assertThat(seen.failed()).as(seen.report()).isZero();
        assertThat(buildStatus("g").path("migration").path("state").asText()).isEqualTo("MIGRATED");
        assertThat(buildStatus("g").path("migration").path("plan").toString()).contains("notes.0002_add_tag");
        assertThat(buildStatus("a").path("rollbackSafe").asBoolean()).isTrue();
    }

    @Test
    @Order(5)
    void theContractStepRunsOnlyOnceTheBuildsThatServedWhileItMigratedHoldNoRole() throws Exception {
        stack.converge(desired("", List.of()));
        String contract = "  migrations:\n    postMigrate: [venv/bin/python, app/manage.py, shell, -c,"
                + " \"import os; from notes.models import Note; Note.objects.create(title='contract-' + os.environ['REGENT_BUILD'])\"]\n";
        String builds = baseBuilds() + build("k", commits.base()) + build("m", commits.base());

        stack.writeDesired(Stack.desiredState(stack.project, builds, "a", "k") + contract);
        var staged = stack.regent("apply");
        assertThat(staged.exit()).as(staged.output()).isZero();
        assertThat(contractRows("k")).as("k is only stage").isZero();
        assertThat(buildStatus("k").path("migration").path("previous").toString()).contains("\"a\"", "\"b\"");

        stack.writeDesired(Stack.desiredState(stack.project, builds, "k", "a") + contract);
        var promoted = stack.regent("apply");
        assertThat(promoted.exit()).as(promoted.output()).isZero();
        assertThat(stack.servedBy(stack.livePort)).isEqualTo("k");
        assertThat(contractRows("k")).as("k is live but a, live while k migrated, is stage").isZero();
        assertThat(buildStatus("k").path("migration").path("postMigrate").isMissingNode()
                || buildStatus("k").path("migration").path("postMigrate").isNull()).isTrue();

        stack.writeDesired(Stack.desiredState(stack.project, builds, "k", "m") + contract);
        var moved = stack.regent("apply");
        assertThat(moved.exit()).as(moved.output()).isZero();
        assertThat(moved.output()).contains("run the contract step of build k");
        assertThat(stack.servedBy(stack.stagePort)).isEqualTo("m");
        assertThat(contractRows("k")).as("a and b hold no role any more").isEqualTo(1);
        JsonNode ran = buildStatus("k").path("migration").path("postMigrate");
        assertThat(ran.path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(ran.path("run").toString()).contains("Note.objects.create");

        var again = stack.regent("apply");
        assertThat(again.exit()).as(again.output()).isZero();
        assertThat(contractRows("k")).as("never twice").isEqualTo(1);
        assertThat(contractRows("m")).as("m is only stage").isZero();
    }

    private static int contractRows(String build) {
        return Integer.parseInt(psql("SELECT count(*) FROM notes_note WHERE title = 'contract-" + build + "'"));
    }

    @Test
    @Order(6)
    void anOptedInBreakingMigrationAppliesAndMakesOlderBuildsUnsafeToRollBackTo() throws Exception {
        stack.converge(desired("", List.of()));
        String builds = baseBuilds() + build("h", commits.dropsBody());
        List<String> allow = List.of("notes.0002_drop_body");

        stack.writeDesired(desired(builds, "a", "h", allow));
        var staged = stack.regent("apply");
        assertThat(staged.exit()).as(staged.output()).isZero();
        assertThat(schema()).doesNotContain("notes_note.body");
        stack.writeDesired(desired(builds, "h", "a", allow));
        assertThat(stack.regent("apply").exit()).isZero();
        assertThat(stack.get(stack.livePort, "/notes").status()).isEqualTo(200);

        stack.writeDesired(desired(builds, "a", "h", allow));
        var back = stack.regent("apply");

        assertThat(back.exit()).as(back.output()).isNotZero();
        assertThat(back.output()).contains("build a is not safe to roll back to", "notes.0002_drop_body",
                "allowUnsafeRollback: true");
        assertThat(stack.servedBy(stack.livePort)).isEqualTo("h");
        JsonNode a = buildStatus("a");
        assertThat(a.path("rollbackSafe").asBoolean()).isFalse();
        assertThat(a.path("rollbackUnsafeBecause").asText()).contains("notes.0002_drop_body");
        assertThat(buildStatus("h").path("rollbackSafe").asBoolean()).isTrue();

        stack.writeDesired(desired(builds, "h", "a", allow));
        var verb = stack.regent("swap-live", "a", "--allow-unsafe-rollback");
        assertThat(verb.exit()).as(verb.output()).isZero();
        assertThat(stack.desired()).contains("allowUnsafeRollback: true");
        var forced = stack.regent("apply");
        assertThat(forced.exit()).as(forced.output()).isZero();
        assertThat(stack.servedBy(stack.livePort)).isEqualTo("a");
    }

    // ---- the database -------------------------------------------------------------------

    /** Every column of the public schema, from information_schema. */
    private static String schema() {
        return psql("SELECT string_agg(table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable"
                + " || ' ' || coalesce(column_default, ''), E'\\n' ORDER BY table_name, ordinal_position)"
                + " FROM information_schema.columns WHERE table_schema = 'public'");
    }

    private static String psql(String sql) {
        var result = stack.run(List.of("docker-compose", "-p", stack.project, "exec", "-T", "-u", "postgres", "db",
                "psql", "-d", "regent", "-tA", "-v", "ON_ERROR_STOP=1", "-c", sql), Duration.ofSeconds(60));
        if (result.exit() != 0) {
            throw new IllegalStateException("psql failed: " + sql + "\n" + result.output());
        }
        return result.output().strip();
    }

    /** Another session holding ACCESS SHARE on notes_note in an open transaction (until terminated). */
    private static Process holdAccessShareLock() throws IOException {
        return new ProcessBuilder("docker-compose", "-p", stack.project, "exec", "-T", "-u", "postgres", "db",
                "psql", "-d", "regent", "-c", "BEGIN; LOCK TABLE notes_note IN ACCESS SHARE MODE;"
                + " SELECT pg_sleep(300) AS \"regent-e2e-lock\"; COMMIT;")
                .directory(stack.root.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    private static JsonNode buildStatus(String name) throws IOException {
        var status = stack.regent("status", "-o", "json");
        for (JsonNode b : HostFiles.JSON.readTree(status.output()).path("builds")) {
            if (b.path("name").asText().equals(name)) {
                return b;
            }
        }
        throw new AssertionError("no build " + name + " in\n" + status.output());
    }
}
