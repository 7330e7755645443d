package dev.regent.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.regent.apply.ActionResult;
import dev.regent.apply.Executor;
import dev.regent.apply.HostContext;
import dev.regent.apply.Waiter;
import dev.regent.docker.DockerPort;
import dev.regent.docker.ExecResult;
import dev.regent.fs.HostFiles;
import dev.regent.fs.HostLayout;
import dev.regent.nginx.NginxIncludes;
import dev.regent.observe.BuildFailure;
import dev.regent.observe.BuildRecord;
import dev.regent.observe.ObservedBuild;
import dev.regent.observe.ObservedHost;
import dev.regent.observe.Observer;
import dev.regent.plan.Action;
import dev.regent.plan.Action.*;
import dev.regent.plan.BlockCode;
import dev.regent.plan.BlockReason;
import dev.regent.spec.BuildSpec;
import dev.regent.spec.BuildSpecs;
import dev.regent.spec.DesiredState;
import dev.regent.spec.Source;
import dev.regent.spec.Strategy;
import dev.regent.time.Sleeper;
import dev.regent.uwsgi.StatsReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reconcile loop with the real Observer and Executor on a temp folder, and a fake Docker that
 * only lists containers. The scenarios need only filesystem effects (no exec).
 */
class ReconcilerTest {
    private static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");

    @TempDir
    Path tmp;
    HostLayout layout;
    FakeDocker docker;
    Observer observer;
    Executor executor;
    Recording listener;

    static final class FakeDocker implements DockerPort {
        boolean nginxRunning = true;

        @Override
        public Optional<Container> find(String project, String service) {
            boolean running = !service.equals("nginx") || nginxRunning;
            return Optional.of(new Container(service + "-id", project + "-" + service + "-1", running));
        }

        @Override
        public ExecResult exec(Container container, List<String> command, Optional<String> workdir,
                               Map<String, String> env, Duration timeout) {
            throw new UnsupportedOperationException("no exec in these scenarios: " + command);
        }
    }

    static final class Recording implements ReconcileListener {
        final List<Action> started = new ArrayList<>();
        final List<ActionResult> results = new ArrayList<>();
        final List<Action> drifts = new ArrayList<>();
        final List<Outcome> ended = new ArrayList<>();

        public void starting(Action action) {
            started.add(action);
        }

        public void finished(Action action, ActionResult result, Duration took) {
            assertThat(action).isSameAs(started.get(started.size() - 1));
            assertThat(took.isNegative()).isFalse();
            results.add(result);
        }

        public void drift(Action action) {
            drifts.add(action);
        }

        public void progress(String message) {
        }

        public void ended(Outcome outcome) {
            ended.add(outcome);
        }
    }

    @BeforeEach
    void setUp() {
        layout = new HostLayout(tmp);
        docker = new FakeDocker();
        StatsReader stats = new StatsReader(Duration.ofMillis(200));
        observer = new Observer(layout, docker, stats);
        Clock clock = Clock.systemUTC();
        Duration second = Duration.ofSeconds(1);
        executor = new Executor(new HostContext("proj", layout, docker, stats, clock,
                new Waiter(clock, Sleeper.real(), Duration.ofMillis(10)), new HostContext.Timeouts(second, second, second, second, second)),
                List.of(), message -> { });
        listener = new Recording();
    }

    private Reconciler reconciler(Function<DesiredState, ObservedHost> observe) {
        return new Reconciler(observe, d -> executor, listener, Clock.systemUTC());
    }

    private Reconciler reconciler() {
        return reconciler(d -> observer.observe(d.name()));
    }

    private static DesiredState desired(Map<String, BuildSpec> builds, Optional<String> live) {
        return desired(builds, live, Strategy.SOCKET);
    }

    private static DesiredState desired(Map<String, BuildSpec> builds, Optional<String> live, Strategy strategy) {
        return new DesiredState(Path.of("desired-state.yaml"), "proj",
                new Source("repo", "app", Optional.empty(), Optional.empty(), "/healthz"),
                new LinkedHashMap<>(builds), live, Optional.empty(), List.of(), Map.of(), strategy,
                List.of(), dev.regent.spec.HealthTimeout.DEFAULT);
    }

    private static DesiredState nothing() {
        return desired(Map.of(), Optional.empty());
    }

    /** An unlisted idle build c with both links, a leftover assembly of d, a failure record of e. */
    private void layOutLeftovers() throws IOException {
        Path c = Files.createDirectories(layout.build("c"));
        HostFiles.writeJson(c.resolve(BuildRecord.FILE), new BuildRecord("c", "v1", "abc", "app", 2020, "t", T0));
        Files.createSymbolicLink(c.resolve("vassal.ini"), Path.of("../../../conf/uwsgi/vassal.skel"));
        Files.createSymbolicLink(c.resolve("zerg.ini"), Path.of("../../../conf/uwsgi/zerg.skel"));
        Files.createDirectories(layout.assembly("d").resolve("app"));
        HostFiles.writeJson(layout.marker("e", BuildFailure.KIND), new BuildFailure("e", "v1", "migrate", "boom", T0));
    }

    @Test
    void convergesOneActionAtATimeOnFreshObservations() throws IOException {
        layOutLeftovers();

        Outcome outcome = reconciler().reconcile(nothing());

        assertThat(outcome).isEqualTo(new Outcome.Converged(5));
        assertThat(listener.started).containsExactly(
                new RemoveAssembly("d", ".d.tmp"),
                new UnlinkPool("c"),
                new UnlinkVassal("c"),
                new RemoveBuild("c"),
                new RemoveBuild("e"));
        assertThat(listener.results).allMatch(r -> r instanceof ActionResult.Done);
        assertThat(listener.ended).containsExactly(outcome);
        assertThat(listener.drifts).isEmpty();
        assertThat(layout.build("c")).doesNotExist();
        assertThat(layout.assembly("d")).doesNotExist();
        assertThat(layout.marker("e", BuildFailure.KIND)).doesNotExist();
    }

    @Test
    void aSecondReconcileOfAConvergedHostDoesNothingAndReportsNoDrift() throws IOException {
        layOutLeftovers();
        Reconciler reconciler = reconciler();
        reconciler.reconcile(nothing());
        listener.started.clear();

        assertThat(reconciler.reconcile(nothing())).isEqualTo(new Outcome.Converged(0));
        assertThat(listener.started).isEmpty();
        assertThat(listener.drifts).isEmpty();
    }

    @Test
    void driftAfterConvergingIsReportedAndRepaired() throws IOException {
        Reconciler reconciler = reconciler();
        assertThat(reconciler.reconcile(nothing())).isEqualTo(new Outcome.Converged(0));

        Files.createDirectories(layout.assembly("x"));

        assertThat(reconciler.reconcile(nothing())).isEqualTo(new Outcome.Converged(1));
        assertThat(listener.drifts).containsExactly(new RemoveAssembly("x", ".x.tmp"));
        assertThat(layout.assembly("x")).doesNotExist();
    }

    @Test
    void aChangedDesiredStateIsNotReportedAsDrift() throws IOException {
        Reconciler reconciler = reconciler();
        reconciler.reconcile(desired(Map.of("c", BuildSpecs.inactive("c", "v1")), Optional.empty()));
        layOutLeftovers();

        Outcome outcome = reconciler.reconcile(nothing());

        assertThat(outcome).isInstanceOf(Outcome.Converged.class);
        assertThat(listener.drifts).isEmpty();
    }

    @Test
    void nginxContainerDownIsBlockedAndChangesNothing() throws IOException {
        layOutLeftovers();
        docker.nginxRunning = false;

        Outcome outcome = reconciler().reconcile(nothing());

        assertThat(outcome).isInstanceOf(Outcome.Blocked.class);
        assertThat(((Outcome.Blocked) outcome).reasons()).singleElement().returns(BlockCode.NGINX_DOWN, BlockReason::code);
        assertThat(outcome.actionsApplied()).isZero();
        assertThat(Outcome.exitCode(outcome)).isEqualTo(1);
        assertThat(listener.started).isEmpty();
        assertThat(layout.assembly("d")).isDirectory();
    }

    @Test
    void aRejectedDesiredStateIsInvalidAndChangesNothing() throws IOException {
        layOutLeftovers();

        Outcome outcome = reconciler().reconcile(desired(Map.of("c", BuildSpecs.of("c", "v2")), Optional.empty()));

        assertThat(outcome).isInstanceOf(Outcome.Invalid.class);
        assertThat(((Outcome.Invalid) outcome).errors()).singleElement()
                .satisfies(e -> assertThat(e.field()).isEqualTo("spec.builds.c.ref"));
        assertThat(Outcome.exitCode(outcome)).isEqualTo(2);
        assertThat(listener.started).isEmpty();
        assertThat(layout.assembly("d")).isDirectory();
    }

    @Test
    void anActionThatSucceedsWithoutEffectStopsTheLoop() {
        // The host keeps reporting an assembly that is not on disk: removing it "works" but changes nothing.
        ObservedHost stuck = new ObservedHost(Map.of(), List.of(".q.tmp"), Optional.empty(), Optional.empty(),
                Optional.empty(), new ObservedHost.Containers(true, true));

        Outcome outcome = reconciler(d -> stuck).reconcile(nothing());

        assertThat(outcome).isInstanceOf(Outcome.Failed.class);
        Outcome.Failed failed = (Outcome.Failed) outcome;
        assertThat(failed.action()).contains(".q.tmp");
        assertThat(failed.reason()).contains("still needs it");
        assertThat(failed.retryable()).isFalse();
        assertThat(failed.actionsApplied()).isEqualTo(1);
        assertThat(listener.started).hasSize(1);
    }

    @Test
    void theExecutorRefusesARoleMoveTheObservationWronglyClaimsIsSafe() {
        // The (fake) observation claims build a is healthy and warm; the disk has no proof of it.
        ObservedBuild a = new ObservedBuild("a", true,
                Optional.of(new BuildRecord("a", "v1", "abc", "app", 2000, "t", T0)), true, true,
                Optional.empty(), Optional.empty(), true, true, Optional.empty())
                .withIncludes(Optional.of(NginxIncludes.content(Strategy.SOCKET, "a", NginxIncludes.LIVE, 2000)),
                        Optional.of(NginxIncludes.content(Strategy.SOCKET, "a", NginxIncludes.STAGE, 2000)))
                .withMigration(Optional.of(new dev.regent.observe.MigrationRecord("a", "v1",
                        dev.regent.observe.MigrationRecord.State.SKIPPED, dev.regent.migrate.MigrationPlan.noDatabase(),
                        List.of(), List.of(), Optional.empty(), "", T0)));
        ObservedHost claimed = new ObservedHost(Map.of("a", a), List.of(), Optional.empty(), Optional.empty(),
                Optional.empty(), new ObservedHost.Containers(true, true));

        Outcome outcome = reconciler(d -> claimed)
                .reconcile(desired(Map.of("a", BuildSpecs.of("a", "v1")), Optional.of("a")));

        assertThat(listener.started).containsExactly(new SwapLive("a", Optional.empty(), false));
        assertThat(outcome).isInstanceOf(Outcome.Failed.class);
        Outcome.Failed failed = (Outcome.Failed) outcome;
        assertThat(failed.reason()).contains("refusing to point _live at build a");
        assertThat(failed.retryable()).isTrue();
        assertThat(failed.actionsApplied()).isEqualTo(1);
        assertThat(Outcome.reasons(outcome)).singleElement().asString().contains("make build a live");
        assertThat(Files.isSymbolicLink(layout.builds().resolve(HostLayout.LIVE))).isFalse();
    }

    @Test
    void includesWrittenByTheExecutorAreReadBackByTheObserverAsConverged() throws IOException {
        // A complete, stopped build a made before includes existed (or by an older Regent).
        Path a = Files.createDirectories(layout.build("a"));
        HostFiles.writeJson(a.resolve(BuildRecord.FILE), new BuildRecord("a", "v1", "abc", "app", 2000, "t", T0));
        Map<String, BuildSpec> builds = Map.of("a", BuildSpecs.inactive("a", "v1"));
        Reconciler reconciler = reconciler();

        for (Strategy strategy : List.of(Strategy.SOCKET, Strategy.RELOAD, Strategy.SOCKET)) {
            listener.started.clear();
            String live = NginxIncludes.content(strategy, "a", NginxIncludes.LIVE, 2000);
            String stage = NginxIncludes.content(strategy, "a", NginxIncludes.STAGE, 2000);

            Outcome outcome = reconciler.reconcile(desired(builds, Optional.empty(), strategy));

            assertThat(outcome).as(strategy.word()).isEqualTo(new Outcome.Converged(1));
            assertThat(listener.started).containsExactly(new WriteIncludes("a", live, stage));
            assertThat(a.resolve("live.conf")).hasContent(live);
            assertThat(a.resolve("stage.conf")).hasContent(stage);
            assertThat(reconciler.reconcile(desired(builds, Optional.empty(), strategy))).isEqualTo(new Outcome.Converged(0));
        }
        assertThat(listener.drifts).isEmpty();
    }

    /**
     * Docker for one build step: every exec but `cat /proc/1/stat` fails with exit code 137; the web
     * container's start time reads {@code boots} in turn, so a change tells a restart during the step.
     */
    static final class OneStepDocker implements DockerPort {
        final java.util.Deque<String> boots;

        OneStepDocker(String... boots) {
            this.boots = new java.util.ArrayDeque<>(List.of(boots));
        }

        @Override
        public Optional<Container> find(String project, String service) {
            return Optional.of(new Container(service + "-id", project + "-" + service + "-1", true));
        }

        @Override
        public ExecResult exec(Container container, List<String> command, Optional<String> workdir,
                               Map<String, String> env, Duration timeout) {
            if (command.equals(List.of("cat", "/proc/1/stat"))) {
                String boot = boots.size() > 1 ? boots.poll() : boots.peek();
                return new ExecResult(0, "1 (uwsgi) S " + "0 ".repeat(18) + boot + " 0 0\n", false);
            }
            return new ExecResult(137, "Killed", false);
        }
    }

    private Outcome buildOnce(OneStepDocker web) throws Exception {
        Path repo = Files.createDirectories(tmp.resolve("repo"));
        try (var git = org.eclipse.jgit.api.Git.init().setDirectory(repo.toFile()).call()) {
            Files.createDirectories(repo.resolve("app"));
            Files.writeString(repo.resolve("app/wsgi.py"), "application = None\n");
            git.add().addFilepattern(".").call();
            git.commit().setMessage("app").setAuthor("t", "t@example.com").setCommitter("t", "t@example.com")
                    .setSign(false).call();
            git.tag().setName("v1").setSigned(false).call();
        }
        StatsReader stats = new StatsReader(Duration.ofMillis(200));
        Clock clock = Clock.systemUTC();
        Duration second = Duration.ofSeconds(1);
        Executor builder = new Executor(new HostContext("proj", layout, web, stats, clock,
                new Waiter(clock, dev.regent.time.Sleeper.real(), Duration.ofMillis(10)), new HostContext.Timeouts(second, second, second, second, second)),
                List.of(), message -> { });
        Observer observing = new Observer(layout, web, stats);
        return new Reconciler(d -> observing.observe(d.name()), d -> builder, listener, clock)
                .reconcile(desired(Map.of("a", BuildSpecs.of("a", "v1")), Optional.empty()));
    }

    @Test
    void aBuildStepThatFailedByItselfIsRecordedAndNotRetried() throws Exception {
        Outcome outcome = buildOnce(new OneStepDocker("100"));

        assertThat(listener.started).singleElement().isInstanceOf(CreateBuild.class);
        assertThat(outcome).isInstanceOfSatisfying(Outcome.Failed.class, f -> {
            assertThat(f.reason()).contains("build a failed at step \"copy app\"", "exit code 137");
            assertThat(f.retryable()).isFalse();
        });
        assertThat(layout.marker("a", BuildFailure.KIND)).exists();
    }

    @Test
    void aBuildStepCutShortByAWebRestartIsRetriedOnTheBackoffNotAtTheNextResync() throws Exception {
        Outcome outcome = buildOnce(new OneStepDocker("100", "200"));

        assertThat(listener.started).singleElement().isInstanceOf(CreateBuild.class);
        assertThat(outcome).isInstanceOfSatisfying(Outcome.Failed.class, f -> {
            assertThat(f.reason()).contains("step \"copy app\" was cut short because the web container restarted");
            assertThat(f.retryable()).isTrue();
        });
        assertThat(layout.marker("a", BuildFailure.KIND)).doesNotExist();
        assertThat(layout.assembly("a")).doesNotExist();
    }
}
