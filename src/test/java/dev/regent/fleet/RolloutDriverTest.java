package dev.regent.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class RolloutDriverTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    private static final List<String> HOSTS = List.of("web1", "web2", "web3");

    private final InMemoryCoordinator.Fleet store = new InMemoryCoordinator.Fleet();
    private final List<String> moves = Collections.synchronizedList(new ArrayList<>());
    private final List<String> movesWithoutSlot = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, FakeHost> hosts = new LinkedHashMap<>();
    private final Map<String, RolloutDriver> drivers = new LinkedHashMap<>();

    @Test
    void hostsMoveStrictlyInOrderOneAtATime() throws FleetUnavailable {
        start(fleet(HOSTS), "rev-1");

        Map<String, RolloutStep> last = stepUntilSettled("rev-1", fleet(HOSTS));

        assertThat(moves).containsExactly("web1@rev-1", "web2@rev-1", "web3@rev-1");
        assertThat(movesWithoutSlot).isEmpty();
        assertThat(last.values()).allMatch(step -> step instanceof RolloutStep.AlreadyLive || step instanceof RolloutStep.Moved);
        assertThat(HOSTS).allMatch(host -> store.record(host).orElseThrow().state() == HostRecord.State.CONVERGED);
        assertThat(store.slotQueue("rev-1")).isEmpty();
    }

    @Test
    void aFailureAtTheSecondHostHaltsTheHostsAfterIt() throws FleetUnavailable {
        start(fleet(HOSTS), "rev-1");
        hosts.get("web2").failing = true;

        Map<String, RolloutStep> last = stepUntilSettled("rev-1", fleet(HOSTS));

        assertThat(moves).containsExactly("web1@rev-1", "web2@rev-1");
        Halt halt = store.halt("rev-1").orElseThrow();
        assertThat(halt.host()).isEqualTo("web2");
        assertThat(halt.reason()).isEqualTo("checks failed on web2");
        assertThat(last.get("web3")).isEqualTo(new RolloutStep.Held(new RolloutDecision.Halted(halt)));
        assertThat(store.record("web2").orElseThrow().state()).isEqualTo(HostRecord.State.FAILED);
        assertThat(store.slotQueue("rev-1")).isEmpty();
    }

    @Test
    void aNewerRevisionMovesAfterTheOlderOneHalted() throws FleetUnavailable {
        start(fleet(HOSTS), "rev-1");
        hosts.get("web2").failing = true;
        stepUntilSettled("rev-1", fleet(HOSTS));
        hosts.get("web2").failing = false;
        moves.clear();

        Map<String, RolloutStep> last = stepUntilSettled("rev-2", fleet(HOSTS));

        assertThat(moves).containsExactly("web1@rev-2", "web2@rev-2", "web3@rev-2");
        assertThat(last.values()).allMatch(step -> step instanceof RolloutStep.AlreadyLive || step instanceof RolloutStep.Moved);
        assertThat(HOSTS).allMatch(host -> store.record(host).orElseThrow().state() == HostRecord.State.CONVERGED);
        assertThat(store.halt("rev-2")).isEmpty();
    }

    @Test
    void anUnavailableStoreMovesNothing() throws FleetUnavailable {
        start(fleet(HOSTS), "rev-1");
        store.unavailable(true);

        for (int round = 0; round < 3; round++) {
            for (String host : HOSTS) {
                RolloutStep step = drivers.get(host).step("rev-1", fleet(HOSTS));
                assertThat(step).isInstanceOfSatisfying(RolloutStep.Held.class,
                        held -> assertThat(held.decision()).isInstanceOf(RolloutDecision.Unavailable.class));
                assertThat(step.stepAgainSoon()).isTrue();
            }
        }
        assertThat(moves).isEmpty();
    }

    @Test
    void aHaltTheStoreCouldNotTakeKeepsTheSlotUntilItIsWritten() throws FleetUnavailable {
        start(fleet(HOSTS), "rev-1");
        hosts.get("web1").failing = true;
        hosts.get("web1").storeGoesAwayOnFailure = true;

        RolloutStep failed = drivers.get("web1").step("rev-1", fleet(HOSTS));
        assertThat(failed).isEqualTo(new RolloutStep.MoveFailed("rev-1", "checks failed on web1", Optional.empty()));
        store.unavailable(false);
        drivers.get("web2").step("rev-1", fleet(HOSTS));
        assertThat(store.slotQueue("rev-1")).startsWith("web1");

        RolloutStep written = drivers.get("web1").step("rev-1", fleet(HOSTS));
        assertThat(written).isInstanceOfSatisfying(RolloutStep.MoveFailed.class,
                step -> assertThat(step.halt()).map(Halt::host).contains("web1"));
        Map<String, RolloutStep> last = stepUntilSettled("rev-1", fleet(HOSTS));

        assertThat(moves).containsExactly("web1@rev-1");
        assertThat(last.get("web2")).isInstanceOfSatisfying(RolloutStep.Held.class,
                held -> assertThat(held.decision()).isInstanceOf(RolloutDecision.Halted.class));
        assertThat(store.slotQueue("rev-1")).isEmpty();
    }

    @Test
    void aHostTakingTheSlotAFailedHostFreedSeesTheHaltAndDoesNotMove() throws Exception {
        start(fleet(HOSTS), "rev-1");
        FakeHost web1 = hosts.get("web1");
        web1.failing = true;
        web1.moveMayEnd = new CountDownLatch(1);
        ExecutorService web1Thread = Executors.newSingleThreadExecutor();
        try {
            Future<RolloutStep> web1Step = web1Thread.submit(() -> drivers.get("web1").step("rev-1", fleet(HOSTS)));
            await().atMost(Duration.ofSeconds(30)).until(() -> moves.contains("web1@rev-1"));
            // web2 reads the fleet while web1 moves; web1 then fails, halts and frees the slot
            // before web2 queues, so web2 gets the slot with a read that shows no halt.
            store.afterNextView("web2", () -> {
                web1.moveMayEnd.countDown();
                await().atMost(Duration.ofSeconds(30)).until(web1Step::isDone);
            });

            RolloutStep web2Step = drivers.get("web2").step("rev-1", fleet(HOSTS));

            assertThat(web1Step.get()).isInstanceOf(RolloutStep.MoveFailed.class);
            assertThat(web2Step).isEqualTo(new RolloutStep.Held(new RolloutDecision.Halted(store.halt("rev-1").orElseThrow())));
            assertThat(moves).containsExactly("web1@rev-1");
            assertThat(store.slotQueue("rev-1")).isEmpty();
        } finally {
            web1Thread.shutdownNow();
        }
    }

    @Test
    void aPausedHostNeverMovesAndTheHostsAfterItGoOn() throws FleetUnavailable {
        FleetSpec web2Paused = new FleetSpec(
                List.of(new FleetHost("web1", false, false), new FleetHost("web2", true, false), new FleetHost("web3", false, false)),
                fleet(HOSTS).rollout());
        start(web2Paused, "rev-1");

        Map<String, RolloutStep> last = stepUntilSettled("rev-1", web2Paused);

        assertThat(moves).containsExactly("web1@rev-1", "web3@rev-1");
        assertThat(last.get("web2")).isEqualTo(new RolloutStep.Held(new RolloutDecision.Paused("web2")));
        assertThat(store.record("web2").orElseThrow().state()).isEqualTo(HostRecord.State.PAUSED);
    }

    private void start(FleetSpec fleet, String revision) throws FleetUnavailable {
        for (FleetHost fleetHost : fleet.hosts()) {
            FakeHost host = new FakeHost(fleetHost.name());
            RolloutDriver driver = new RolloutDriver(fleetHost.name(), store.coordinatorFor(fleetHost.name()), host, CLOCK);
            hosts.put(fleetHost.name(), host);
            drivers.put(fleetHost.name(), driver);
            driver.announce(revision, "builds and warms");
        }
    }

    /** Steps the hosts last-in-order first, so an in-order result comes from the gate, not from the stepping. */
    private Map<String, RolloutStep> stepUntilSettled(String revision, FleetSpec fleet) {
        Map<String, RolloutStep> last = new LinkedHashMap<>();
        List<String> reversed = new ArrayList<>(drivers.keySet());
        Collections.reverse(reversed);
        for (int round = 0; round < 20; round++) {
            for (String host : reversed) {
                last.put(host, drivers.get(host).step(revision, fleet));
            }
            if (last.values().stream().noneMatch(RolloutStep::stepAgainSoon)) {
                return last;
            }
        }
        throw new AssertionError("the rollout did not settle in 20 rounds: " + last);
    }

    private static FleetSpec fleet(List<String> order) {
        return new FleetSpec(order.stream().map(h -> new FleetHost(h, false, false)).toList(),
                new RolloutPolicy(1, order, RolloutPolicy.OnFailure.HALT, RolloutPolicy.DEFAULT_SLOT_TTL));
    }

    private final class FakeHost implements LiveMover {
        private final String name;
        private String live = "rev-0";
        private boolean failing;
        private boolean storeGoesAwayOnFailure;
        private CountDownLatch moveMayEnd = new CountDownLatch(0);

        FakeHost(String name) {
            this.name = name;
        }

        @Override
        public boolean needsMove(String revision) {
            return !live.equals(revision);
        }

        @Override
        public MoveOutcome move(String revision) {
            moves.add(name + "@" + revision);
            if (!store.slotQueue(revision).subList(0, 1).equals(List.of(name))) {
                movesWithoutSlot.add(name + "@" + revision);
            }
            try {
                if (!moveMayEnd.await(30, TimeUnit.SECONDS)) {
                    throw new AssertionError(name + "'s move was never let end");
                }
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                throw new AssertionError(interrupted);
            }
            if (failing) {
                store.unavailable(storeGoesAwayOnFailure);
                return MoveOutcome.failed("checks failed on " + name);
            }
            live = revision;
            return MoveOutcome.passed();
        }
    }

}
