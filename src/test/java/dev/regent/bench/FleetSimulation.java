package dev.regent.bench;

import dev.regent.fleet.Coordinator;
import dev.regent.fleet.CountingCoordinator;
import dev.regent.fleet.FleetHost;
import dev.regent.fleet.FleetSpec;
import dev.regent.fleet.FleetUnavailable;
import dev.regent.fleet.Halt;
import dev.regent.fleet.HostRecord;
import dev.regent.fleet.LiveMover;
import dev.regent.fleet.MoveOutcome;
import dev.regent.fleet.RolloutDriver;
import dev.regent.fleet.RolloutPolicy;
import dev.regent.fleet.RolloutStep;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.IntStream;

/**
 * Rolls one revision out to N simulated hosts (host01, host02, ..., moving in name order), each a
 * thread with its own RolloutDriver and its own Coordinator from a factory, and measures it: a
 * sampler reads the fleet every 100 ms and counts the records that say MOVING, while the hosts
 * count their moves exactly. Main-less: a benchmark runs it against a fleet store and prints
 * {@link Figures#describe()}.
 */
public final class FleetSimulation {
    private static final Duration SAMPLE_EVERY = Duration.ofMillis(100);
    private static final String SAMPLER = "fleet-sampler";

    private FleetSimulation() {
    }

    /**
     * killOneHolder: the first host to get a slot dies as it starts its move (its thread stops and
     * the killer ends its lease as a crash would); meant for maxParallel 1, where the next move
     * can only start once the dead host's slot is freed. stepInterval: how soon a waiting host steps again.
     */
    public record Options(int hosts, int maxParallel, Duration moveDuration, Set<String> failingHosts,
                          boolean killOneHolder, Duration stepInterval, String revision, Duration timeout) {
        public Options {
            failingHosts = Set.copyOf(failingHosts);
        }

        public static Options of(int hosts, int maxParallel) {
            return new Options(hosts, maxParallel, Duration.ofMillis(200), Set.of(), false, Duration.ofMillis(20),
                    "simulated-revision", Duration.ofMinutes(5));
        }

        public Options withMoveDuration(Duration moveDuration) {
            return new Options(hosts, maxParallel, moveDuration, failingHosts, killOneHolder, stepInterval, revision, timeout);
        }

        public Options withFailingHosts(Set<String> failingHosts) {
            return new Options(hosts, maxParallel, moveDuration, failingHosts, killOneHolder, stepInterval, revision, timeout);
        }

        public Options withKillOneHolder() {
            return new Options(hosts, maxParallel, moveDuration, failingHosts, true, stepInterval, revision, timeout);
        }

        public Options withStepInterval(Duration stepInterval) {
            return new Options(hosts, maxParallel, moveDuration, failingHosts, killOneHolder, stepInterval, revision, timeout);
        }
    }

    /**
     * coordinatorCalls: calls the hosts made from the start of the rollout to its end.
     * slotTakeover: from the killed holder's death to the next move started by another host.
     */
    public record Figures(Duration total, int maxMovingSampled, int maxMovingExact, int hostsMoved, int hostsFailed,
                          long coordinatorCalls, Optional<Duration> slotTakeover, Optional<Halt> halt) {
        public double callsPerSecond() {
            return coordinatorCalls / Math.max(total.toNanos() / 1e9, 1e-9);
        }

        public String describe() {
            return String.format("total %d ms, max moving %d (sampled every %d ms) / %d (exact), moved %d, failed %d, "
                            + "coordinator calls %d (%.1f/s), slot takeover %s, halt %s",
                    total.toMillis(), maxMovingSampled, SAMPLE_EVERY.toMillis(), maxMovingExact, hostsMoved, hostsFailed,
                    coordinatorCalls, callsPerSecond(), slotTakeover.map(d -> d.toMillis() + " ms").orElse("-"),
                    halt.map(h -> h.host() + ": " + h.reason()).orElse("-"));
        }
    }

    /** Ends a host's lease as a crash would: it must expire, not be revoked. */
    @FunctionalInterface
    public interface HostKiller {
        void kill(String host, Coordinator coordinator);
    }

    public static String hostName(int index) {
        return String.format("host%02d", index + 1);
    }

    public static Figures run(Options options, Function<String, Coordinator> coordinators, HostKiller killer)
            throws InterruptedException {
        FleetSpec fleet = new FleetSpec(
                IntStream.range(0, options.hosts()).mapToObj(i -> new FleetHost(hostName(i), false, false)).toList(),
                new RolloutPolicy(options.maxParallel(), List.of(), RolloutPolicy.OnFailure.HALT, RolloutPolicy.DEFAULT_SLOT_TTL));
        Tally tally = new Tally(options.killOneHolder());
        AtomicLong calls = new AtomicLong();
        CountDownLatch announced = new CountDownLatch(options.hosts());
        CountDownLatch go = new CountDownLatch(1);
        List<Coordinator> opened = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        try {
            for (FleetHost fleetHost : fleet.hosts()) {
                Coordinator coordinator = coordinators.apply(fleetHost.name());
                opened.add(coordinator);
                var host = new SimulatedHost(fleetHost.name(), options, tally, () -> killer.kill(fleetHost.name(), coordinator));
                var driver = new RolloutDriver(fleetHost.name(), new CountingCoordinator(coordinator, calls), host, Clock.systemUTC());
                Thread thread = new Thread(() -> drive(driver, host, fleet, options, announced, go), "simulated-" + fleetHost.name());
                threads.add(thread);
                thread.start();
            }
            Coordinator observer = coordinators.apply(SAMPLER);
            opened.add(observer);
            announced.await(options.timeout().toMillis(), TimeUnit.MILLISECONDS);
            calls.set(0);
            long start = System.nanoTime();
            go.countDown();
            sampler.scheduleAtFixedRate(() -> tally.sample(observer, options.revision()), 0, SAMPLE_EVERY.toMillis(), TimeUnit.MILLISECONDS);
            long deadline = start + options.timeout().toNanos();
            for (Thread thread : threads) {
                thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
                if (thread.isAlive()) {
                    threads.forEach(Thread::interrupt);
                    throw new IllegalStateException(thread.getName() + " still rolls out after " + options.timeout());
                }
            }
            Duration total = Duration.ofNanos(System.nanoTime() - start);
            long callCount = calls.get();
            sampler.shutdownNow();
            return new Figures(total, tally.maxMovingSampled.get(), tally.maxMovingExact.get(), tally.moved.get(),
                    tally.failed.get(), callCount, tally.slotTakeover(), standingHalt(observer, options.revision()));
        } finally {
            sampler.shutdownNow();
            opened.forEach(Coordinator::close);
        }
    }

    private static void drive(RolloutDriver driver, SimulatedHost host, FleetSpec fleet, Options options,
                              CountDownLatch announced, CountDownLatch go) {
        try {
            driver.announce(options.revision(), "builds and warms");
        } catch (FleetUnavailable unavailable) {
            // It steps anyway; its first step publishes the record.
        } finally {
            announced.countDown();
        }
        try {
            go.await();
            while (driver.step(options.revision(), fleet).stepAgainSoon()) {
                if (host.died.await(options.stepInterval().toNanos(), TimeUnit.NANOSECONDS)) {
                    return;
                }
            }
        } catch (HostDied | InterruptedException stopped) {
            // The host is gone: it neither releases its slot nor publishes again.
        }
    }

    private static Optional<Halt> standingHalt(Coordinator observer, String revision) {
        try {
            return observer.view(revision).halt();
        } catch (FleetUnavailable unavailable) {
            return Optional.empty();
        }
    }

    /** What the hosts and the sampler count, shared by all threads. */
    private static final class Tally {
        final AtomicInteger movingNow = new AtomicInteger();
        final AtomicInteger maxMovingExact = new AtomicInteger();
        final AtomicInteger maxMovingSampled = new AtomicInteger();
        final AtomicInteger moved = new AtomicInteger();
        final AtomicInteger failed = new AtomicInteger();
        final AtomicBoolean killPending;
        final AtomicLong deathAt = new AtomicLong(Long.MAX_VALUE);
        final ConcurrentLinkedQueue<Long> moveStarts = new ConcurrentLinkedQueue<>();

        Tally(boolean killOneHolder) {
            killPending = new AtomicBoolean(killOneHolder);
        }

        void sample(Coordinator observer, String revision) {
            try {
                long moving = observer.view(revision).hosts().values().stream()
                        .filter(record -> record.state() == HostRecord.State.MOVING && record.revision().equals(revision))
                        .count();
                maxMovingSampled.accumulateAndGet((int) moving, Math::max);
            } catch (FleetUnavailable unavailable) {
                // A sample the store did not answer counts nothing.
            }
        }

        Optional<Duration> slotTakeover() {
            long death = deathAt.get();
            return moveStarts.stream().filter(start -> start > death).min(Long::compare).map(start -> Duration.ofNanos(start - death));
        }
    }

    private static final class HostDied extends RuntimeException {
    }

    /** A host whose move takes a fixed time and fails when the options name it. */
    private static final class SimulatedHost implements LiveMover {
        private final String name;
        private final Options options;
        private final Tally tally;
        private final Runnable endLease;
        private final CountDownLatch died = new CountDownLatch(1);
        private volatile String live = "previous-revision";

        SimulatedHost(String name, Options options, Tally tally, Runnable endLease) {
            this.name = name;
            this.options = options;
            this.tally = tally;
            this.endLease = endLease;
        }

        @Override
        public boolean needsMove(String revision) {
            return !live.equals(revision);
        }

        @Override
        public MoveOutcome move(String revision) {
            long startedAt = System.nanoTime();
            if (tally.killPending.compareAndSet(true, false)) {
                tally.deathAt.set(startedAt);
                died.countDown();
                endLease.run();
                throw new HostDied();
            }
            tally.moveStarts.add(startedAt);
            tally.maxMovingExact.accumulateAndGet(tally.movingNow.incrementAndGet(), Math::max);
            try {
                if (died.await(options.moveDuration().toNanos(), TimeUnit.NANOSECONDS)) {
                    throw new HostDied();
                }
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                throw new HostDied();
            } finally {
                tally.movingNow.decrementAndGet();
            }
            if (options.failingHosts().contains(name)) {
                tally.failed.incrementAndGet();
                return MoveOutcome.failed("simulated failure on " + name);
            }
            live = revision;
            tally.moved.incrementAndGet();
            return MoveOutcome.passed();
        }
    }
}
