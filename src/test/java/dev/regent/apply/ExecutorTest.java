package dev.regent.apply;

import static org.assertj.core.api.Assertions.assertThat;

import dev.regent.docker.DockerPort;
import dev.regent.docker.ExecResult;
import dev.regent.fs.HostFiles;
import dev.regent.fs.HostLayout;
import dev.regent.observe.BuildRecord;
import dev.regent.observe.NginxApplied;
import dev.regent.observe.ReadyMarker;
import dev.regent.plan.Action;
import dev.regent.plan.Action.RemoveBuild;
import dev.regent.plan.Action.SwapLive;
import dev.regent.plan.Action.UnlinkPool;
import dev.regent.plan.Action.UnlinkVassal;
import dev.regent.uwsgi.StatsReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The executor re-checks the safety rules against the files as they are now, by the same rules the
 * planner keeps: it refuses before touching anything, so Docker is never reached here.
 */
class ExecutorTest {
    private static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");
    @TempDir
    Path tmp;
    private HostLayout layout;
    private Executor executor;

    @BeforeEach
    void setUp() throws IOException {
        layout = new HostLayout(tmp);
        Files.createDirectories(layout.run());
        Path c = Files.createDirectories(layout.build("c"));
        HostFiles.writeJson(c.resolve(BuildRecord.FILE), new BuildRecord("c", "v1", "0123456789abcdef", "app", 2020, "tag", T0));
        HostFiles.pointLink(layout.vassalIni("c"), "../../../conf/uwsgi/vassal.skel");
        HostFiles.pointLink(layout.poolIni("c"), "../../../conf/uwsgi/zerg.skel");
        DockerPort docker = new DockerPort() {
            public Optional<Container> find(String project, String service) {
                throw new AssertionError("a refused action must not reach Docker");
            }

            public ExecResult exec(Container container, List<String> command, Optional<String> workdir,
                                   Map<String, String> env, Duration timeout) {
                throw new AssertionError("a refused action must not reach Docker");
            }
        };
        Clock clock = Clock.systemUTC();
        Duration second = Duration.ofSeconds(1);
        executor = new Executor(new HostContext("proj", layout, docker, new StatsReader(Duration.ofMillis(200)), clock,
                new Waiter(clock, dev.regent.time.Sleeper.real(), Duration.ofMillis(10)), new HostContext.Timeouts(second, second, second, second, second)),
                List.of(), line -> { });
    }

    private String refusal(Action action) {
        ActionResult result = executor.apply(action);
        assertThat(result).as(action.describe()).isInstanceOf(ActionResult.Failed.class);
        return ((ActionResult.Failed) result).reason();
    }

    private void assertUntouched() {
        assertThat(Files.isSymbolicLink(layout.poolIni("c"))).isTrue();
        assertThat(Files.isSymbolicLink(layout.vassalIni("c"))).isTrue();
        assertThat(layout.build("c").resolve(BuildRecord.FILE)).exists();
    }

    @Test
    void aBuildNginxsConfirmedConfigPinsIsNeitherStoppedNorRemoved() {
        HostFiles.writeJson(layout.nginxApplied(), new NginxApplied(Optional.of("c"), Optional.empty(), T0));

        for (Action action : List.<Action>of(new UnlinkPool("c"), new UnlinkVassal("c"), new RemoveBuild("c"))) {
            assertThat(refusal(action)).startsWith("refusing to").contains("a role points at build c");
        }
        assertUntouched();
    }

    @Test
    void anUnreadableNginxRecordRefusesEveryStopAndRemoval() throws IOException {
        Files.writeString(layout.nginxApplied(), "{\"live\": \"c\", ");

        for (Action action : List.<Action>of(new UnlinkPool("c"), new UnlinkVassal("c"), new RemoveBuild("c"))) {
            assertThat(refusal(action)).startsWith("refusing to")
                    .contains("could not read deploy/run/nginx-applied.json (").contains("line 1");
        }
        assertUntouched();
    }

    @Test
    void aRoleMovesOnlyToABuildWhoseRunningPoolTheProofNames() {
        // A proof for pool 42, but no pool answers now (respawned or stopped since).
        HostFiles.writeJson(layout.marker("c", ReadyMarker.HEALTHY), new ReadyMarker(42, T0));

        assertThat(refusal(new SwapLive("c", Optional.empty(), true)))
                .isEqualTo("refusing to point _live at build c: its pool has not answered a health check");
        assertThat(layout.role(HostLayout.LIVE)).doesNotExist();
    }
}
