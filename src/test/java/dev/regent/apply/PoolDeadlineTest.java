package dev.regent.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.regent.docker.DockerPort;
import dev.regent.docker.ExecResult;
import dev.regent.fs.HostFiles;
import dev.regent.fs.HostLayout;
import dev.regent.observe.BuildFailure;
import dev.regent.observe.BuildRecord;
import dev.regent.time.Sleeper;
import dev.regent.uwsgi.StatsReader;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rule that decides, at a missed deadline, whether a build or the host is to blame: only a
 * steady emperor that tried the pool, with Docker reporting the web container running and no role
 * on the build, marks it failed. Host faults that cannot be staged safely on a shared machine
 * (Docker down) are played by a Docker port that raises, as the docker-java adapter does.
 */
class PoolDeadlineTest {
    private static final String BLACKLISTED = "{\"pid\":10,\"vassals\":[],\"blacklist\":[{\"id\":\"/code/deploy/builds/c/zerg.ini\","
            + "\"attempt\":4}]}";
    private static final String RUNNING = "{\"pid\":10,\"vassals\":[{\"id\":\"/code/deploy/builds/c/zerg.ini\",\"pid\":77,"
            + "\"respawns\":0}],\"blacklist\":[]}";
    @TempDir
    Path tmp;
    private HostLayout layout;
    private final List<String> execs = new ArrayList<>();
    private boolean dockerDown;
    private ServerSocketChannel emperor;

    @BeforeEach
    void setUp() throws IOException {
        layout = new HostLayout(tmp);
        Files.createDirectories(layout.run());
        Files.createDirectories(layout.build("c"));
        HostFiles.writeJson(layout.build("c").resolve(BuildRecord.FILE), new BuildRecord("c", "v1", "0123456789abcdef",
                "app", 2020, "tag", Instant.parse("2024-01-01T00:00:00Z")));
        Files.writeString(layout.build("c").resolve("build.ini"), "[uwsgi]\nregent_port = 2020\nregent_wsgi = mysite.wsgi\n");
    }

    @AfterEach
    void tearDown() throws IOException {
        if (emperor != null) {
            emperor.close();
        }
    }

    private HostContext host() {
        DockerPort docker = new DockerPort() {
            public Optional<Container> find(String project, String service) {
                if (dockerDown) {
                    throw new DockerUnavailable("Cannot connect to the Docker daemon", null);
                }
                return Optional.of(new Container("id", project + "_" + service + "_1", true));
            }

            public ExecResult exec(Container container, List<String> command, Optional<String> workdir,
                                   Map<String, String> env, Duration timeout) {
                execs.add(String.join(" ", command));
                return new ExecResult(1, "Traceback (most recent call last):\nRuntimeError: broken\n", false);
            }
        };
        Clock clock = Clock.systemUTC();
        Duration second = Duration.ofSeconds(1);
        return new HostContext("proj", layout, docker, new StatsReader(Duration.ofMillis(500)), clock,
                new Waiter(clock, Sleeper.real(), Duration.ofMillis(10)), new HostContext.Timeouts(second, second, second, second, second));
    }

    /** The pools' emperor's stats socket, answering {@code json} to every connection. */
    private void emperorAnswers(String json) throws IOException {
        emperor = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        emperor.bind(UnixDomainSocketAddress.of(layout.emperorStats()));
        Thread thread = new Thread(() -> {
            while (emperor.isOpen()) {
                try (SocketChannel client = emperor.accept()) {
                    client.write(ByteBuffer.wrap(json.getBytes(StandardCharsets.UTF_8)));
                } catch (IOException e) {
                    return;
                }
            }
        });
        thread.setDaemon(true);
        thread.start();
    }

    private Optional<BuildFailure> recorded() {
        return HostFiles.readJson(layout.marker("c", BuildFailure.KIND), BuildFailure.class);
    }

    @Test
    void aPoolTheSteadyEmperorThrottlesIsMarkedFailedWithTheImportError() throws IOException {
        emperorAnswers(BLACKLISTED);
        var deadline = new PoolDeadline(host(), "c");
        deadline.poll();
        deadline.poll();

        ActionResult result = deadline.poolDidNotStart("the worker pool of build c did not come up within 1 s");

        assertThat(result).isInstanceOf(ActionResult.Failed.class);
        assertThat(((ActionResult.Failed) result).reason()).contains("is marked failed", "throttles its respawns (attempt 4)",
                "RuntimeError: broken");
        assertThat(recorded()).hasValueSatisfying(f -> {
            assertThat(f.step()).isEqualTo(BuildFailure.POOL_STEP);
            assertThat(f.ref()).isEqualTo("v1");
            assertThat(f.output()).contains("importing mysite.wsgi as the pool does: exit code 1");
        });
        assertThat(execs).singleElement().asString().contains("/code/deploy/builds/c/venv/bin/python", "mysite.wsgi");
    }

    @Test
    void anEmperorMissingAtOnePollMeansTheHostRestartedAndNothingIsRecorded() throws IOException {
        var deadline = new PoolDeadline(host(), "c");
        deadline.poll();
        emperorAnswers(BLACKLISTED);
        deadline.poll();

        ActionResult result = deadline.poolDidNotStart("did not come up");

        assertThat(((ActionResult.Failed) result).reason()).contains("not marked failed", "did not answer throughout");
        assertThat(recorded()).isEmpty();
        assertThat(execs).isEmpty();
    }

    @Test
    void dockerDownAtTheDeadlineRaisesAndRecordsNothing() throws IOException {
        emperorAnswers(BLACKLISTED);
        var deadline = new PoolDeadline(host(), "c");
        deadline.poll();
        dockerDown = true;

        assertThatThrownBy(() -> deadline.poolDidNotStart("did not come up")).isInstanceOf(DockerPort.DockerUnavailable.class);
        assertThat(recorded()).isEmpty();
    }

    @Test
    void aPoolTheEmperorNeverListedIsNotBlamed() throws IOException {
        emperorAnswers("{\"pid\":10,\"vassals\":[],\"blacklist\":[]}");
        var deadline = new PoolDeadline(host(), "c");
        deadline.poll();

        assertThat(((ActionResult.Failed) deadline.poolDidNotStart("x")).reason()).contains("never listed the pool");
        assertThat(recorded()).isEmpty();
    }

    @Test
    void aBuildThatARolePointsAtIsNeverMarked() throws IOException {
        emperorAnswers(RUNNING);
        HostFiles.pointLink(layout.builds().resolve(HostLayout.STAGE), "c");
        var deadline = new PoolDeadline(host(), "c");
        deadline.poll();

        assertThat(((ActionResult.Failed) deadline.unhealthy("GET /healthz: HTTP 500")).reason()).contains("a role points at");
        assertThat(recorded()).isEmpty();
    }

    @Test
    void aRunningPoolThatFailsItsHealthCheckIsMarkedAtTheHealthCheck() throws IOException {
        emperorAnswers(RUNNING);
        var deadline = new PoolDeadline(host(), "c");
        deadline.poll();

        deadline.unhealthy("GET http://127.0.0.1:2020/healthz did not pass; last answer: HTTP 500 from build 'c'");

        assertThat(recorded()).hasValueSatisfying(f -> {
            assertThat(f.step()).isEqualTo(BuildFailure.HEALTH_STEP);
            assertThat(f.output()).contains("HTTP 500");
        });
        assertThat(execs).as("no import for a pool that ran").isEmpty();
    }
}
