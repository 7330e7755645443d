package dev.regent.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.regent.apply.Executor;
import dev.regent.apply.HostContext;
import dev.regent.apply.Waiter;
import dev.regent.fs.HostLayout;
import dev.regent.gitops.DesiredSource;
import dev.regent.gitops.Revision;
import dev.regent.observe.ObservedHost;
import dev.regent.observe.Observer;
import dev.regent.spec.DesiredState;
import dev.regent.spec.Source;
import dev.regent.spec.Strategy;
import dev.regent.uwsgi.StatsReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
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
 * `regent run`'s loop over a real Reconciler, Observer and Executor on a temp folder, with failures
 * injected where production code throws: reading the desired state, observing the host, saving the
 * source's status. The retry delays are recorded and fired at once, so nothing waits.
 */
class RunLoopTest {
    private static final Revision REVISION = new Revision(new DesiredState(Path.of("desired-state.yaml"), "proj",
            new Source("repo", "app", Optional.empty(), Optional.empty(), "/healthz"), new LinkedHashMap<>(),
            Optional.empty(), Optional.empty(), List.of(), Map.of(), Strategy.SOCKET, List.of(),
            dev.regent.spec.HealthTimeout.DEFAULT), "r1");

    @TempDir
    Path tmp;
    HostLayout layout;
    Observer observer;
    Executor executor;
    final TriggerQueue triggers = new TriggerQueue();
    final LoopHealth health = new LoopHealth();
    final List<Duration> delays = new ArrayList<>();
    final List<Outcome> reported = new ArrayList<>();
    final FlakySource source = new FlakySource();

    /** A source that throws from current() or reconciled() while told to, as GitFollower does on a full disk. */
    static final class FlakySource implements DesiredSource {
        int readFailures;
        int saveFailures;

        public Optional<Revision> current() {
            if (readFailures-- > 0) {
                throw new UncheckedIOException("could not read desired-state.yaml", new IOException("Input/output error"));
            }
            return Optional.of(REVISION);
        }

        public void reconciled(Revision revision, Outcome outcome) {
            if (saveFailures-- > 0) {
                throw new UncheckedIOException("could not write deploy/run/gitops.json",
                        new IOException("No space left on device"));
            }
        }
    }

    @BeforeEach
    void setUp() throws IOException {
        layout = new HostLayout(tmp);
        var docker = new ReconcilerTest.FakeDocker();
        StatsReader stats = new StatsReader(Duration.ofMillis(200));
        observer = new Observer(layout, docker, stats);
        Clock clock = Clock.systemUTC();
        Duration second = Duration.ofSeconds(1);
        executor = new Executor(new HostContext("proj", layout, docker, stats, clock,
                new Waiter(clock, dev.regent.time.Sleeper.real(), Duration.ofMillis(10)), new HostContext.Timeouts(second, second, second, second, second)),
                List.of(), message -> { });
        // Work for a converging pass: a leftover assembly to remove.
        Files.createDirectories(layout.assembly("d").resolve("app"));
    }

    private RunLoop loop(Function<DesiredState, ObservedHost> observe) {
        var reconciler = new Reconciler(observe, d -> executor, Listeners.of(), Clock.systemUTC());
        return new RunLoop(source, reconciler, triggers, new RunLoop.Reports() {
            public void working(Revision revision) {
            }

            public void reconciled(Revision revision, Outcome outcome) {
                reported.add(outcome);
            }
        }, health, delay -> {
            delays.add(delay);
            triggers.fire("retry");
        }, Clock.systemUTC());
    }

    private RunLoop loop() {
        return loop(d -> observer.observe(d.name()));
    }

    private void runUntilConverged(RunLoop loop) {
        triggers.fire("start");
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> loop.run(true));
    }

    @Test
    void aSourceThatThrowsDoesNotEndTheLoop() {
        source.readFailures = 2;

        runUntilConverged(loop());

        assertThat(delays).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(4));
        assertThat(health.failures()).isEqualTo(2);
        assertThat(health.failing()).isEmpty();
        assertThat(health.state()).isEqualTo(LoopHealth.State.STOPPED);
        assertThat(reported).containsExactly(new Outcome.Converged(1));
        assertThat(layout.assembly("d")).doesNotExist();
    }

    @Test
    void anObserverThatThrowsIsARetryableFailureAndTheLoopConvergesOnceItReads() {
        int[] reads = {0};
        RunLoop loop = loop(d -> {
            if (reads[0]++ < 2) {
                throw new UncheckedIOException("could not list " + layout.builds(), new IOException("Permission denied"));
            }
            return observer.observe(d.name());
        });

        runUntilConverged(loop);

        assertThat(reported).hasSize(3);
        assertThat(reported.get(0)).isInstanceOfSatisfying(Outcome.Failed.class, f -> {
            assertThat(f.action()).isEqualTo("observe the host");
            assertThat(f.reason()).contains("UncheckedIOException", "could not list", "Permission denied");
            assertThat(f.retryable()).isTrue();
        });
        assertThat(reported.get(2)).isEqualTo(new Outcome.Converged(1));
        assertThat(delays).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(4));
        assertThat(health.failures()).as("a failed reconcile is not a failed pass").isZero();
    }

    @Test
    void aStatusSaveThatThrowsIsShownWhileItLastsAndRetriedWithBackoff() {
        source.saveFailures = 2;
        RunLoop loop = loop();

        assertThat(loop.pass()).isEmpty();
        assertThat(health.failing()).hasValueSatisfying(f -> {
            assertThat(f.step()).isEqualTo("save the source's status");
            assertThat(f.inARow()).isEqualTo(1);
            assertThat(f.describe()).contains("could not save the source's status", "UncheckedIOException",
                    "deploy/run/gitops.json");
        });
        assertThat(loop.pass()).isEmpty();
        assertThat(health.failing()).hasValueSatisfying(f -> assertThat(f.describe()).contains("2 passes in a row"));

        assertThat(loop.pass()).contains(new Outcome.Converged(0));
        assertThat(health.failing()).isEmpty();
        assertThat(health.failures()).isEqualTo(2);
        assertThat(delays).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(4));
        assertThat(layout.assembly("d")).as("the first pass converged the host before the save failed").doesNotExist();

        source.readFailures = 1;
        assertThat(loop.pass()).isEmpty();
        assertThat(delays).as("a pass that went through resets the backoff").endsWith(Duration.ofSeconds(2));
    }
}
