package dev.regent.apply;

import static org.assertj.core.api.Assertions.assertThat;

import dev.regent.docker.DockerPort;
import dev.regent.docker.ExecResult;
import dev.regent.fs.HostFiles;
import dev.regent.fs.HostLayout;
import dev.regent.observe.BreakingMigration;
import dev.regent.observe.BuildFailure;
import dev.regent.observe.BuildRecord;
import dev.regent.observe.MigrationRecord;
import dev.regent.plan.Action.LiveCheck;
import dev.regent.plan.Action.Migrate;
import dev.regent.spec.MigrationSpec;
import dev.regent.uwsgi.StatsReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release phase's steps against a scripted web container: what runs, in which order, what is
 * recorded. The helper's real output is exercised by MigrationsE2E.
 */
class ReleasePhaseTest {
    private static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");
    private static final String DROP = """
            {"database": true, "plan": [{"app": "pages", "name": "0002_drop_body", "backwards": false,
              "operations": [{"type": "RemoveField", "model": "note", "field": "body"}]}],
             "known": ["pages.0001_initial", "pages.0002_drop_body"], "applied": ["pages.0001_initial"]}
            """.replace("\n", " ");
    private static final String ADD = """
            {"database": true, "plan": [{"app": "pages", "name": "0002_add_title", "backwards": false,
              "operations": [{"type": "AddField", "model": "note", "field": "title", "null": true, "hasDefault": false}]}],
             "known": ["pages.0001_initial", "pages.0002_add_title"], "applied": ["pages.0001_initial"]}
            """.replace("\n", " ");
    private static final Migrate MIGRATE_C = new Migrate("c", Optional.of(new LiveCheck("a", 2000, "/_regent/health")),
            MigrationSpec.DEFAULT);
    @TempDir
    Path tmp;
    private HostLayout layout;
    private final List<Exec> execs = new ArrayList<>();
    private String describeOutput = ADD;
    private ExecResult applyResult = new ExecResult(0, "Applying pages.0002_add_title... OK\n{\"applied\": [\"pages.0002_add_title\"]}", false);
    private String liveAnswer = "200 a";
    private ReleasePhase release;

    record Exec(List<String> command, Map<String, String> env) {
        boolean helper(String verb) {
            return command.size() == 3 && command.get(1).endsWith("/conf/web/regent_migrations.py") && command.get(2).equals(verb);
        }
    }

    @BeforeEach
    void setUp() throws IOException {
        layout = new HostLayout(tmp);
        Files.createDirectories(layout.run());
        Path c = Files.createDirectories(layout.build("c"));
        HostFiles.writeJson(c.resolve(BuildRecord.FILE), new BuildRecord("c", "v2", "0123456789abcdef", "app", 2020, "tag", T0));
        DockerPort docker = new DockerPort() {
            public Optional<Container> find(String project, String service) {
                return Optional.of(new Container("id-" + service, service, true));
            }

            public ExecResult exec(Container container, List<String> command, Optional<String> workdir,
                                   Map<String, String> env, Duration timeout) {
                var exec = new Exec(command, env);
                execs.add(exec);
                if (exec.helper("describe")) {
                    return new ExecResult(0, "a warning first\n" + describeOutput + "\n", false);
                }
                if (exec.helper("apply")) {
                    return applyResult;
                }
                if (command.contains("--parallel")) {
                    return new ExecResult(0, "200\n".repeat(32), false);
                }
                return new ExecResult(0, liveAnswer, false);
            }
        };
        Clock clock = Clock.fixed(T0.plusSeconds(60), ZoneOffset.UTC);
        var host = new HostContext("proj", layout, docker, new StatsReader(Duration.ofMillis(200)), clock,
                new Waiter(clock, dev.regent.time.Sleeper.real(), Duration.ofMillis(10)), HostContext.Timeouts.defaults());
        release = new ReleasePhase(host, new Probe(host));
    }

    private MigrationRecord record() {
        return MigrationRecord.read(layout, "c").orElseThrow();
    }

    private Optional<BuildFailure> failure() {
        return HostFiles.readJson(layout.marker("c", BuildFailure.KIND), BuildFailure.class);
    }

    @Test
    void aSafePlanIsAppliedWithTheTimeoutsThenLiveIsProvenAndTheBuildMarkedMigrated() {
        ActionResult result = release.run(MIGRATE_C);

        assertThat(result).isEqualTo(ActionResult.done("applied pages.0002_add_title"));
        assertThat(execs).extracting(e -> e.helper("describe") ? "describe" : e.helper("apply") ? "apply" : "curl")
                .containsExactly("describe", "apply", "curl", "curl");
        assertThat(execs.get(1).env()).containsEntry("PGOPTIONS", "-c lock_timeout=5000 -c statement_timeout=60000")
                .containsEntry("REGENT_BUILD", "c");
        assertThat(String.join(" ", execs.get(2).command())).contains("http://127.0.0.1:2000/_regent/health");
        assertThat(record().state()).isEqualTo(MigrationRecord.State.MIGRATED);
        assertThat(record().plan().pendingIds()).containsExactly("pages.0002_add_title");
        assertThat(record().plan().known()).contains("pages.0002_add_title");
        assertThat(failure()).isEmpty();
    }

    @Test
    void theBuildsServingWhileItMigratesAreRecordedForItsContractStep() {
        HostFiles.pointLink(layout.role(HostLayout.STAGE), "b");

        release.run(MIGRATE_C);

        assertThat(record().previous()).contains(List.of("a", "b"));
    }

    @Test
    void aPlanThatWouldBreakLiveIsRefusedBeforeAnySqlRuns() {
        describeOutput = DROP;

        ActionResult result = release.run(MIGRATE_C);

        assertThat(result).isInstanceOf(ActionResult.Failed.class);
        assertThat(((ActionResult.Failed) result).retryable()).isFalse();
        assertThat(execs).noneMatch(e -> e.helper("apply"));
        assertThat(failure()).get().satisfies(f -> {
            assertThat(f.step()).isEqualTo("migrate pages.0002_drop_body");
            assertThat(f.output()).contains("refused before any SQL ran", "RemoveField note.body", "spec.migrations.allow");
            assertThat(f.ref()).isEqualTo("v2");
        });
        assertThat(record().state()).isEqualTo(MigrationRecord.State.REFUSED);
        assertThat(record().failedMigration()).contains("pages.0002_drop_body");
    }

    @Test
    void anOptedInBreakingMigrationRunsAndIsKeptInTheHostWideLedger() {
        describeOutput = DROP;
        applyResult = new ExecResult(0, "{\"applied\": [\"pages.0002_drop_body\"]}", false);

        ActionResult result = release.run(new Migrate("c", MIGRATE_C.live(),
                new MigrationSpec(Duration.ofSeconds(2), Duration.ofSeconds(9), Set.of("pages.0002_drop_body"))));

        assertThat(result).isInstanceOf(ActionResult.Done.class);
        assertThat(execs.get(1).env()).containsEntry("PGOPTIONS", "-c lock_timeout=2000 -c statement_timeout=9000");
        assertThat(BreakingMigration.read(layout).orAbsent()).get().asList()
                .containsExactly(new BreakingMigration("pages.0002_drop_body", "c", T0.plusSeconds(60)));
        assertThat(record().allowedBreaking()).containsExactly("pages.0002_drop_body");
    }

    @Test
    void aMigrationThatRaisesMarksTheBuildFailedNamingIt() {
        applyResult = new ExecResult(1, "Applying pages.0002_add_title...\n{\"failed\": \"pages.0002_add_title\", "
                + "\"applied\": [], \"error\": \"Traceback\\nLockNotAvailable: canceling statement due to lock timeout\"}", false);

        ActionResult result = release.run(MIGRATE_C);

        assertThat(((ActionResult.Failed) result).reason()).contains("failed at step \"migrate pages.0002_add_title\"",
                "live keeps serving");
        assertThat(failure()).get().satisfies(f -> {
            assertThat(f.step()).isEqualTo("migrate pages.0002_add_title");
            assertThat(f.output()).contains("exit code 1", "canceling statement due to lock timeout");
        });
        assertThat(record().state()).isEqualTo(MigrationRecord.State.FAILED);
        assertThat(execs).noneMatch(e -> e.command().get(0).equals("curl"));
    }

    @Test
    void liveNotAnsweringAfterwardsMarksTheNewBuildFailedAndUnappliesNothing() {
        liveAnswer = "500 a";

        ActionResult result = release.run(MIGRATE_C);

        assertThat(failure()).get().satisfies(f -> {
            assertThat(f.step()).isEqualTo("migrate (prove live)");
            assertThat(f.output()).contains("live build a no longer answers", "HTTP 500", "nothing is unapplied");
        });
        assertThat(result).isInstanceOf(ActionResult.Failed.class);
        assertThat(execs).filteredOn(e -> e.helper("apply")).hasSize(1);
    }

    @Test
    void withoutADatabaseThePhaseIsSkippedAndRecordedSo() {
        describeOutput = "{\"database\": false, \"plan\": [], \"known\": [], \"applied\": []}";

        ActionResult result = release.run(MIGRATE_C);

        assertThat(result).isEqualTo(ActionResult.done("no database configured, nothing to migrate"));
        assertThat(execs).hasSize(1);
        assertThat(record().state()).isEqualTo(MigrationRecord.State.SKIPPED);
        assertThat(record().done()).isTrue();
    }

    @Test
    void aDatabaseThatAcceptsNoConnectionIsRetriedNotBlamedOnTheBuild() {
        describeOutput = "{\"unavailable\": \"OperationalError: could not connect to server\"}";

        ActionResult result = release.run(MIGRATE_C);

        assertThat(result).isInstanceOf(ActionResult.Failed.class);
        assertThat(((ActionResult.Failed) result).retryable()).isTrue();
        assertThat(((ActionResult.Failed) result).reason()).contains("tried again later", "could not connect to server");
        assertThat(failure()).isEmpty();
        assertThat(execs).noneMatch(e -> e.helper("apply"));
    }
}
