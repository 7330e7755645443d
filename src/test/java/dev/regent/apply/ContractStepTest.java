package dev.regent.apply;

import static org.assertj.core.api.Assertions.assertThat;

import dev.regent.docker.DockerPort;
import dev.regent.docker.ExecResult;
import dev.regent.fs.HostFiles;
import dev.regent.fs.HostLayout;
import dev.regent.migrate.MigrationPlan;
import dev.regent.observe.BuildFailure;
import dev.regent.observe.BuildRecord;
import dev.regent.observe.MigrationRecord;
import dev.regent.observe.PostMigrateRun;
import dev.regent.observe.PostMigrateRun.Status;
import dev.regent.plan.Action.PostMigrate;
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

/** The contract step against a scripted web container on a temp host folder: what runs, from where, what is recorded. */
class ContractStepTest {
    private static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");
    private static final List<String> CONTRACT = List.of("venv/bin/python", "app/manage.py", "contract");
    private static final MigrationSpec SETTINGS = new MigrationSpec(Duration.ofSeconds(3), Duration.ofSeconds(40), Set.of(),
            CONTRACT);
    private static final PostMigrate POST_MIGRATE_C = new PostMigrate("c", List.of("a"), SETTINGS);
    @TempDir
    Path tmp;
    private HostLayout layout;
    private final List<Exec> execs = new ArrayList<>();
    private final List<Optional<PostMigrateRun>> recordedDuringExec = new ArrayList<>();
    private ExecResult answer = new ExecResult(0, "contracted\n", false);
    private ContractStep contract;

    record Exec(List<String> command, Optional<String> workdir, Map<String, String> env) {
    }

    @BeforeEach
    void setUp() throws IOException {
        layout = new HostLayout(tmp);
        Files.createDirectories(layout.run());
        Path c = Files.createDirectories(layout.build("c"));
        HostFiles.writeJson(c.resolve(BuildRecord.FILE), new BuildRecord("c", "v2", "0123456789abcdef", "app", 2020, "tag", T0));
        HostFiles.writeJson(layout.marker("c", MigrationRecord.KIND), new MigrationRecord("c", "v2",
                MigrationRecord.State.MIGRATED, new MigrationPlan(true, List.of(), List.of(), List.of()), List.of(), List.of(),
                Optional.empty(), "applied 1", T0.plusSeconds(10)).withPrevious(List.of("a")));
        HostFiles.pointLink(layout.role(HostLayout.LIVE), "c");
        HostFiles.pointLink(layout.role(HostLayout.STAGE), "b");
        DockerPort docker = new DockerPort() {
            public Optional<Container> find(String project, String service) {
                return Optional.of(new Container("id-" + service, service, true));
            }

            public ExecResult exec(Container container, List<String> command, Optional<String> workdir,
                                   Map<String, String> env, Duration timeout) {
                execs.add(new Exec(command, workdir, env));
                recordedDuringExec.add(record().postMigrate());
                return answer;
            }
        };
        Clock clock = Clock.fixed(T0.plusSeconds(60), ZoneOffset.UTC);
        var host = new HostContext("proj", layout, docker, new StatsReader(Duration.ofMillis(200)), clock,
                new Waiter(clock, dev.regent.time.Sleeper.real(), Duration.ofMillis(10)), HostContext.Timeouts.defaults());
        contract = new ContractStep(host);
    }

    private MigrationRecord record() {
        return MigrationRecord.read(layout, "c").orElseThrow();
    }

    @Test
    void runsTheListFromTheBuildsFolderWithItsEnvironmentAndTheTimeoutsOnceAndRecordsIt() {
        ActionResult first = contract.run(POST_MIGRATE_C);
        ActionResult second = contract.run(POST_MIGRATE_C);

        assertThat(first).isEqualTo(ActionResult.done("contract step succeeded"));
        assertThat(second).isEqualTo(ActionResult.done("the contract step of build c already ran"));
        assertThat(execs).singleElement().satisfies(e -> {
            assertThat(e.command()).isEqualTo(CONTRACT);
            assertThat(e.workdir()).contains("/code/deploy/builds/c");
            assertThat(e.env()).containsEntry("REGENT_BUILD", "c").containsEntry("DJANGO_SETTINGS_MODULE", "regent_settings")
                    .containsEntry("PGOPTIONS", "-c lock_timeout=3000 -c statement_timeout=40000");
        });
        assertThat(recordedDuringExec).singleElement().satisfies(r -> assertThat(r).get()
                .returns(Status.RUNNING, PostMigrateRun::status));
        assertThat(record().postMigrate()).get().satisfies(p -> {
            assertThat(p.status()).isEqualTo(Status.SUCCEEDED);
            assertThat(p.run()).isEqualTo(CONTRACT);
            assertThat(p.output()).contains("exit code 0", "contracted");
        });
        assertThat(record().state()).isEqualTo(MigrationRecord.State.MIGRATED);
        assertThat(record().at()).isEqualTo(T0.plusSeconds(10));
    }

    @Test
    void aFailureIsRecordedWithItsOutputAndMarksNothingFailed() {
        answer = new ExecResult(1, "Traceback\nCommandError: column body is still read\n", false);

        ActionResult result = contract.run(POST_MIGRATE_C);

        assertThat(result).isInstanceOf(ActionResult.Done.class);
        assertThat(((ActionResult.Done) result).detail()).contains("contract step failed", "exit code 1");
        assertThat(record().postMigrate()).get().satisfies(p -> {
            assertThat(p.status()).isEqualTo(Status.FAILED);
            assertThat(p.output()).contains("exit code 1", "CommandError: column body is still read");
        });
        assertThat(HostFiles.readJson(layout.marker("c", BuildFailure.KIND), BuildFailure.class)).isEmpty();
        assertThat(contract.run(POST_MIGRATE_C)).isInstanceOf(ActionResult.Done.class);
        assertThat(execs).hasSize(1);
    }

    @Test
    void refusesWhileABuildThatServedDuringTheMigrationHoldsARoleOnDisk() {
        HostFiles.pointLink(layout.role(HostLayout.STAGE), "a");

        ActionResult result = contract.run(POST_MIGRATE_C);

        assertThat(result).isInstanceOf(ActionResult.Failed.class);
        assertThat(((ActionResult.Failed) result).retryable()).isTrue();
        assertThat(((ActionResult.Failed) result).reason()).contains("build a, which served while build c migrated, still holds a role");
        assertThat(execs).isEmpty();
        assertThat(record().postMigrate()).isEmpty();
    }

    @Test
    void refusesWhenTheBuildIsNotLive() {
        HostFiles.pointLink(layout.role(HostLayout.LIVE), "b");

        assertThat(contract.run(POST_MIGRATE_C)).isInstanceOf(ActionResult.Failed.class);
        assertThat(execs).isEmpty();
    }
}
