package dev.regent.apply;

import static org.assertj.core.api.Assertions.assertThat;

import dev.regent.docker.DockerPort;
import dev.regent.docker.ExecResult;
import dev.regent.fs.HostFiles;
import dev.regent.fs.HostLayout;
import dev.regent.observe.Pin;
import dev.regent.observe.PromotionRecord;
import dev.regent.observe.ReadyMarker;
import dev.regent.observe.SmokeRecord;
import dev.regent.observe.StatsServer;
import dev.regent.plan.Action.ReleasePin;
import dev.regent.plan.Action.RollBack;
import dev.regent.plan.Action.SmokeCheck;
import dev.regent.plan.Action.SwapLive;
import dev.regent.traffic.Figures;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The files a promotion leaves, on a real folder: the rollback's pin and rename, the record of each move, smoke results. */
class PromotionStepsTest {
    private static final Instant T0 = Instant.parse("2026-11-28T14:00:00Z");
    private static final String REVISION = "c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00";
    private static final Pin PIN = new Pin("b", REVISION, "a", "build b failed 5.0% of its requests",
            new Figures(600, 30, 45), T0);
    @TempDir
    Path tmp;
    private HostLayout layout;
    private final List<StatsServer> servers = new ArrayList<>();
    /** What the fake curl answers for smoke requests, in order (then 200). */
    private final List<Integer> smokeAnswers = new ArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        layout = new HostLayout(tmp);
        servers.addAll(ServingBuilds.make(layout, T0));
        HostFiles.pointLink(layout.role(HostLayout.LIVE), "b");
    }

    @AfterEach
    void stop() throws Exception {
        for (StatsServer server : servers) {
            server.close();
        }
    }

    private Executor executor(Provenance provenance) {
        DockerPort docker = new DockerPort() {
            public Optional<Container> find(String project, String service) {
                return Optional.of(new Container("id-" + service, service, true));
            }

            public ExecResult exec(Container container, List<String> command, Optional<String> workdir,
                                   Map<String, String> env, Duration timeout) {
                if (command.contains("-t")) {
                    return new ExecResult(0, "syntax is ok", false);
                }
                if (command.stream().anyMatch(c -> c.contains("x-regent-build"))) {
                    return new ExecResult(0, "200 " + HostFiles.readLink(layout.role(HostLayout.LIVE)).orElse(""), false);
                }
                StringBuilder out = new StringBuilder();
                long requests = command.stream().filter(c -> c.startsWith("http://")).count();
                for (int i = 0; i < requests; i++) {
                    out.append(smokeAnswers.isEmpty() ? 200 : smokeAnswers.remove(0)).append('\n');
                }
                return new ExecResult(0, out.toString(), false);
            }
        };
        Clock clock = Clock.fixed(T0.plusSeconds(16), ZoneOffset.UTC);
        Duration second = Duration.ofSeconds(1);
        return new Executor(new HostContext("proj", layout, docker, new StatsReader(Duration.ofMillis(500)), clock,
                new Waiter(clock, dev.regent.time.Sleeper.real(), Duration.ofMillis(10)),
                new HostContext.Timeouts(second, second, second, second, second)), List.of(),
                dev.regent.spec.DependencySpec.NONE, line -> { }, provenance);
    }

    @Test
    void aRollbackWritesThePinThenRenamesLiveBackAndRecordsTheMove() {
        ActionResult result = executor(new Provenance("later", "git")).apply(new RollBack("a", PIN, true));

        assertThat(result).isInstanceOf(ActionResult.Done.class);
        assertThat(HostFiles.readLink(layout.role(HostLayout.LIVE))).contains("a");
        assertThat(Pin.read(layout).orAbsent()).contains(List.of(PIN));
        assertThat(HostFiles.readJson(PromotionRecord.path(layout), PromotionRecord.class)).contains(
                new PromotionRecord(Optional.of("b"), "a", REVISION, "rollback", T0.plusSeconds(16)));
    }

    @Test
    void aRollbackTheProofRefusesStillLeavesThePinSoTheNextPlanFinishesIt() throws IOException {
        Files.delete(layout.marker("a", ReadyMarker.HEALTHY));

        ActionResult result = executor(Provenance.UNKNOWN).apply(new RollBack("a", PIN, true));

        assertThat(result).isInstanceOf(ActionResult.Failed.class);
        assertThat(HostFiles.readLink(layout.role(HostLayout.LIVE))).contains("b");
        assertThat(Pin.read(layout).orAbsent()).contains(List.of(PIN));
    }

    @Test
    void anUnreadablePinFileRefusesTheRollbackAndIsLeftAlone() throws IOException {
        Files.writeString(Pin.path(layout), "[{\"build\": ");

        ActionResult result = executor(Provenance.UNKNOWN).apply(new RollBack("a", PIN, true));

        assertThat(result).isInstanceOf(ActionResult.Failed.class);
        assertThat(((ActionResult.Failed) result).reason()).contains("deploy/run/rollbacks.json");
        assertThat(HostFiles.readLink(layout.role(HostLayout.LIVE))).contains("b");
        assertThat(Files.readString(Pin.path(layout))).isEqualTo("[{\"build\": ");
    }

    @Test
    void releasingAPinKeepsTheOthers() {
        Pin other = new Pin("c", "f00d", "a", "slow", Figures.NONE, T0);
        Pin.write(layout, List.of(PIN, other));

        assertThat(executor(Provenance.UNKNOWN).apply(new ReleasePin("b"))).isInstanceOf(ActionResult.Done.class);

        assertThat(Pin.read(layout).orAbsent()).contains(List.of(other));
    }

    @Test
    void aPromotionRecordsItsMoveOnceWithTheRevisionAndTrigger() {
        HostFiles.pointLink(layout.role(HostLayout.LIVE), "a");
        var swap = new SwapLive("b", Optional.of("a"), true);

        assertThat(executor(new Provenance(REVISION, "git")).apply(swap)).isInstanceOf(ActionResult.Done.class);
        var record = new PromotionRecord(Optional.of("a"), "b", REVISION, "git", T0.plusSeconds(16));
        assertThat(HostFiles.readJson(PromotionRecord.path(layout), PromotionRecord.class)).contains(record);

        executor(new Provenance("another", "file")).apply(swap);
        assertThat(HostFiles.readJson(PromotionRecord.path(layout), PromotionRecord.class)).as("already live: unchanged")
                .contains(record);
    }

    @Test
    void anApprovedPromotionIsRecordedAsSuch() {
        HostFiles.pointLink(layout.role(HostLayout.LIVE), "a");

        executor(new Provenance(REVISION, "git")).apply(new SwapLive("b", Optional.of("a"), true, Optional.of("alice")));

        assertThat(HostFiles.readJson(PromotionRecord.path(layout), PromotionRecord.class)).get()
                .returns("approval", PromotionRecord::trigger);
    }

    @Test
    void aSmokeCheckRecordsThePathAndAnswerThatFailed() {
        smokeAnswers.addAll(List.of(200, 200, 200, 200, 500, 200));

        ActionResult result = executor(Provenance.UNKNOWN).apply(new SmokeCheck("b", 2001, List.of("/healthz", "/items"), 3));

        assertThat(result).isInstanceOf(ActionResult.Done.class);
        assertThat(HostFiles.readJson(layout.marker("b", SmokeRecord.KIND), SmokeRecord.class)).contains(new SmokeRecord("b",
                "commit-b", List.of("/healthz", "/items"), 3, false, "GET /items answered HTTP 500 (1 of 3 requests not 2xx)",
                T0.plusSeconds(16)));
    }

    @Test
    void aSmokeCheckThatPassesIsRecordedToo() {
        executor(Provenance.UNKNOWN).apply(new SmokeCheck("b", 2001, List.of("/healthz"), 2));

        assertThat(HostFiles.readJson(layout.marker("b", SmokeRecord.KIND), SmokeRecord.class)).get()
                .returns(true, SmokeRecord::passed);
    }
}
