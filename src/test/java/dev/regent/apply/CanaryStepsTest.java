package dev.regent.apply;

import static org.assertj.core.api.Assertions.assertThat;

import dev.regent.docker.DockerPort;
import dev.regent.docker.ExecResult;
import dev.regent.fs.HostFiles;
import dev.regent.fs.HostLayout;
import dev.regent.observe.CanaryFiles;
import dev.regent.observe.CanaryRecord;
import dev.regent.observe.Pin;
import dev.regent.observe.ReadyMarker;
import dev.regent.observe.StatsServer;
import dev.regent.plan.Action.AttachCanary;
import dev.regent.plan.Action.FailCanary;
import dev.regent.plan.Action.PassCanary;
import dev.regent.plan.Action.WithdrawCanary;
import dev.regent.time.FakeClock;
import dev.regent.traffic.Figures;
import dev.regent.uwsgi.StatsReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * The canary's effects on a real folder. A fake canary emperor runs between the waits' polls: it
 * serves b's canary stats socket while canary.ini is linked (unless the test stops it) and closes it
 * once the link is gone.
 */
class CanaryStepsTest {
    private static final Instant T0 = Instant.parse("2026-11-28T14:00:00Z");
    private static final String REVISION = "c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00";
    @TempDir
    Path tmp;
    private HostLayout layout;
    private final FakeClock clock = new FakeClock(T0);
    private final List<StatsServer> servers = new ArrayList<>();
    private StatsServer canary;
    /** Whether the fake emperor starts a canary for a linked canary.ini; false: it never comes up. */
    private boolean emperorStarts = true;
    /** Whether the fake emperor stops the canary once canary.ini is gone; false: it hangs on. */
    private boolean emperorStops = true;

    @BeforeEach
    void setUp() throws IOException {
        layout = new HostLayout(tmp);
        servers.addAll(ServingBuilds.make(layout, T0));
        for (String build : List.of("a", "b")) {
            HostFiles.pointLink(layout.poolIni(build), "../../../conf/uwsgi/zerg.skel");
        }
        HostFiles.pointLink(layout.role(HostLayout.LIVE), "a");
    }

    @AfterEach
    void stop() throws Exception {
        for (StatsServer server : servers) {
            server.close();
        }
        if (canary != null) {
            canary.close();
        }
    }

    private void emperor() throws IOException {
        boolean linked = Files.isSymbolicLink(CanaryFiles.ini(layout, "b"));
        if (linked && canary == null && emperorStarts) {
            Files.deleteIfExists(CanaryFiles.stats(layout, "b"));
            canary = StatsServer.start(CanaryFiles.stats(layout, "b"), StatsServer.stats(300, 1));
        } else if (!linked && canary != null && emperorStops) {
            canary.close();
            canary = null;
        }
    }

    private Executor executor() {
        DockerPort docker = new DockerPort() {
            public Optional<Container> find(String project, String service) {
                return Optional.of(new Container("id-" + service, service, true));
            }

            public ExecResult exec(Container container, List<String> command, Optional<String> workdir,
                                   Map<String, String> env, Duration timeout) {
                return new ExecResult(1, "no docker here", false);
            }
        };
        Duration up = Duration.ofSeconds(5);
        return new Executor(new HostContext("proj", layout, docker, new StatsReader(Duration.ofMillis(500)), clock,
                new Waiter(clock, clock.sleeper(this::emperor), Duration.ofMillis(100)),
                new HostContext.Timeouts(up, up, up, up, up)), List.of(), dev.regent.spec.DependencySpec.NONE, line -> { },
                new Provenance(REVISION, "git"));
    }

    @Test
    void attachWritesTheTargetThenLinksAndRecordsTheCanaryOnceItServes() throws IOException {
        ActionResult result = executor().apply(new AttachCanary("b", "a", 1));

        assertThat(result).isInstanceOf(ActionResult.Done.class);
        assertThat(Files.readString(CanaryFiles.target(layout, "b")))
                .isEqualTo("[uwsgi]\nregent_canary_of = a\nregent_canary_workers = 1\n");
        assertThat(HostFiles.readLink(CanaryFiles.ini(layout, "b"))).contains(CanaryFiles.SKELETON);
        Instant seen = clock.instant();
        assertThat(HostFiles.readJson(CanaryRecord.path(layout), CanaryRecord.class))
                .contains(new CanaryRecord("b", "a", 1, "commit-b", REVISION, seen, false));
        assertThat(seen).as("recorded when it was seen serving, not when it was linked").isAfter(T0);
        assertThat(HostFiles.readLink(layout.poolIni("a"))).as("the live build's own pool").isPresent();
        assertThat(executor().apply(new AttachCanary("b", "a", 1))).as("again").isInstanceOf(ActionResult.Done.class);
    }

    @Test
    void attachRefusesAnythingButAProvenBuildOnTheLiveRouter() throws IOException {
        assertThat(executor().apply(new AttachCanary("b", "c", 1))).isInstanceOf(ActionResult.Failed.class);
        assertThat(executor().apply(new AttachCanary("a", "a", 1))).isInstanceOf(ActionResult.Failed.class);
        Files.delete(layout.marker("b", ReadyMarker.HEALTHY));
        assertThat(executor().apply(new AttachCanary("b", "a", 1))).isInstanceOf(ActionResult.Failed.class)
                .extracting(r -> ((ActionResult.Failed) r).reason()).asString().startsWith("refusing to attach a canary of build b");

        assertThat(CanaryFiles.ini(layout, "b")).doesNotExist();
        assertThat(CanaryFiles.target(layout, "b")).doesNotExist();
        assertThat(CanaryRecord.path(layout)).doesNotExist();
    }

    @Test
    void aCanaryThatNeverServesIsNotRecorded() {
        emperorStarts = false;

        ActionResult result = executor().apply(new AttachCanary("b", "a", 1));

        assertThat(result).isInstanceOf(ActionResult.Failed.class);
        assertThat(CanaryRecord.path(layout)).doesNotExist();
    }

    @Test
    void aCanaryLinkedForAnotherWorkerCountIsWithdrawnBeforeItsTargetIsRewritten() throws IOException {
        executor().apply(new AttachCanary("b", "a", 1));
        StatsServer first = canary;

        assertThat(executor().apply(new AttachCanary("b", "a", 2))).isInstanceOf(ActionResult.Done.class);

        assertThat(canary).isNotNull().isNotSameAs(first);
        assertThat(Files.readString(CanaryFiles.target(layout, "b"))).contains("regent_canary_workers = 2");
        assertThat(HostFiles.readJson(CanaryRecord.path(layout), CanaryRecord.class)).get()
                .returns(2, CanaryRecord::workers);
    }

    @Test
    void aPassIsRecordedBeforeTheCanaryIsWithdrawn() {
        executor().apply(new AttachCanary("b", "a", 1));

        ActionResult result = executor().apply(new PassCanary("b", "a"));

        assertThat(result).isInstanceOf(ActionResult.Done.class);
        assertThat(HostFiles.readJson(CanaryRecord.path(layout), CanaryRecord.class)).get()
                .returns(true, CanaryRecord::passed);
        assertThat(CanaryFiles.ini(layout, "b")).doesNotExist();
        assertThat(CanaryFiles.target(layout, "b")).as("nothing of it left for the next plan to withdraw").doesNotExist();
        assertThat(canary).as("stopped").isNull();
        assertThat(HostFiles.readLink(layout.role(HostLayout.LIVE))).as("live moves by its own action").contains("a");
    }

    @Test
    void aFailWritesThePinThenWithdrawsAndForgetsTheCanary() {
        executor().apply(new AttachCanary("b", "a", 1));
        Pin pin = new Pin("b", REVISION, "a", "its canary on build a's router failed its analysis: build b failed 20.0%",
                new Figures(600, 120, 30), T0);

        ActionResult result = executor().apply(new FailCanary("b", pin));

        assertThat(result).isInstanceOf(ActionResult.Done.class);
        assertThat(Pin.read(layout).orAbsent()).contains(List.of(pin));
        assertThat(CanaryFiles.ini(layout, "b")).doesNotExist();
        assertThat(CanaryFiles.target(layout, "b")).doesNotExist();
        assertThat(CanaryRecord.path(layout)).doesNotExist();
        assertThat(HostFiles.readLink(layout.role(HostLayout.LIVE))).contains("a");
        assertThat(HostFiles.readLink(layout.poolIni("a"))).isPresent();
    }

    @Test
    void aCanaryThatDoesNotStopFailsTheWithdrawalAndKeepsItsRecord() {
        executor().apply(new AttachCanary("b", "a", 1));
        emperorStops = false;

        ActionResult result = executor().apply(new WithdrawCanary("b", "no canary of it is wanted now"));

        assertThat(result).isInstanceOf(ActionResult.Failed.class);
        assertThat(CanaryFiles.ini(layout, "b")).doesNotExist();
        assertThat(HostFiles.readJson(CanaryRecord.path(layout), CanaryRecord.class)).get()
                .returns("b", CanaryRecord::build).returns(false, CanaryRecord::passed);
    }

    @Test
    void withdrawingWhatIsNotThereIsDone() {
        assertThat(executor().apply(new WithdrawCanary("b", "no canary of it is wanted now")))
                .isInstanceOf(ActionResult.Done.class);
    }
}
