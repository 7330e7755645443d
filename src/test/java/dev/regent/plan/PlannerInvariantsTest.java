package dev.regent.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.regent.observe.NginxApplied;
import dev.regent.observe.ObservedHost;
import dev.regent.plan.Action.*;
import dev.regent.spec.DesiredState;
import dev.regent.spec.Strategy;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The planner's safety rules over many generated (desired, observed) pairs; seeded, so reproducible. */
class PlannerInvariantsTest {
    private static final List<String> NAMES = List.of("a", "b", "c", "d");
    private static final int CASES = 5000;

    @Test
    void safetyRulesHoldForGeneratedHosts() {
        Random random = new Random(20240601L);
        int moves = 0;
        int retirements = 0;
        int blockedRetirements = 0;
        int writes = 0;
        int confirmedMoves = 0;
        int unconfirmedMoves = 0;
        int reloads = 0;
        int failedStopped = 0;
        for (int i = 0; i < CASES; i++) {
            DesiredState desired = desired(random);
            ObservedHost observed = observed(random);
            Plan plan = PlanInvariants.planChecked(desired, observed);
            assertThat(Planner.plan(desired, observed, Optional.empty(), Hosts.T0)).as("planning is deterministic").isEqualTo(plan);
            moves += (int) plan.actions().stream().filter(a -> a instanceof SwapLive || a instanceof PointStage).count();
            retirements += (int) plan.actions().stream().filter(a -> a instanceof UnlinkPool || a instanceof RemoveBuild).count();
            blockedRetirements += (int) plan.blocked().stream().filter(r -> r.code() == BlockCode.ROLE_HELD).count();
            writes += (int) plan.actions().stream().filter(a -> a instanceof WriteIncludes).count();
            confirmedMoves += (int) plan.actions().stream()
                    .filter(a -> a instanceof SwapLive s && s.confirm() || a instanceof PointStage p && p.confirm()).count();
            unconfirmedMoves += (int) plan.actions().stream()
                    .filter(a -> a instanceof SwapLive s && !s.confirm() || a instanceof PointStage p && !p.confirm()).count();
            reloads += (int) plan.actions().stream().filter(a -> a instanceof ReloadNginx).count();
            failedStopped += (int) plan.actions().stream().filter(a -> a instanceof UnlinkPool
                    && desired.builds().containsKey(a.build()) && desired.builds().get(a.build()).active()).count();
        }
        // The generator must actually reach the interesting cases, or the test proves nothing.
        assertThat(moves).isGreaterThan(CASES / 10);
        assertThat(retirements).isGreaterThan(CASES / 10);
        assertThat(blockedRetirements).isGreaterThan(CASES / 50);
        assertThat(writes).isGreaterThan(CASES / 10);
        assertThat(confirmedMoves).as("moves nginx confirms without a reload").isGreaterThan(CASES / 50);
        assertThat(unconfirmedMoves).as("moves a reload confirms").isGreaterThan(CASES / 10);
        assertThat(reloads).isGreaterThan(CASES / 10);
        assertThat(failedStopped).as("listed builds stopped because they were marked failed").isGreaterThan(CASES / 100);
    }

    @Test
    void aPlanWithABlockedRoleNeverMovesThatRole() {
        Random random = new Random(7L);
        int checked = 0;
        for (int i = 0; i < CASES; i++) {
            DesiredState desired = desired(random);
            ObservedHost observed = observed(random);
            Plan plan = Planner.plan(desired, observed, Optional.empty(), Hosts.T0);
            if (plan.blocked().stream().anyMatch(r -> r.code() == BlockCode.NOT_READY && r.message().startsWith("live"))) {
                checked++;
                assertThat(plan.actions()).noneMatch(a -> a instanceof SwapLive);
            }
            if (plan.blocked().stream().anyMatch(r -> r.code() == BlockCode.NOT_READY && r.message().startsWith("stage"))) {
                checked++;
                assertThat(plan.actions()).noneMatch(a -> a instanceof PointStage);
            }
        }
        assertThat(checked).isGreaterThan(CASES / 20);
    }

    @Test
    void theCheckerItselfRejectsUnsafePlans() {
        DesiredState desired = Hosts.desiredAB();
        ObservedHost host = Hosts.converged("a", "b");
        ObservedHost fresh = Hosts.fresh();
        List<Plan> unsafe = List.of(
                new Plan(List.of(new UnlinkPool("a")), List.of(), List.of()),
                new Plan(List.of(new RemoveBuild("b")), List.of(), List.of()),
                new Plan(List.of(new ReloadNginx(Optional.of("a"), Optional.of("b"), Strategy.SOCKET), new LinkPool("a")),
                        List.of(), List.of()),
                new Plan(List.of(new ReloadNginx(Optional.of("a"), Optional.of("b"), Strategy.RELOAD)), List.of(), List.of()),
                new Plan(List.of(new WriteIncludes("c", "x", "y")), List.of(), List.of()),
                new Plan(List.of(new WriteIncludes("a", "stale", "stale")), List.of(), List.of()));
        for (Plan plan : unsafe) {
            assertThatThrownBy(() -> PlanInvariants.check(desired, host, plan)).isInstanceOf(AssertionError.class);
        }
        Plan swapToUnbuilt = new Plan(List.of(new SwapLive("a", Optional.empty(), true)), List.of(), List.of());
        assertThatThrownBy(() -> PlanInvariants.check(desired, fresh, swapToUnbuilt)).isInstanceOf(AssertionError.class);
        Plan swapBeforeWait = new Plan(List.of(new LinkPool("a"), new SwapLive("a", Optional.empty(), true)), List.of(), List.of());
        assertThatThrownBy(() -> PlanInvariants.check(desired, fresh, swapBeforeWait)).isInstanceOf(AssertionError.class);

        // a and b ready, but b's includes were never written (a build made before includes existed).
        ObservedHost bWithoutIncludes = Hosts.from(host).live("b").stage("a")
                .with(Hosts.found("b").complete().linked().healthy().warm()).get();
        SwapLive swapBack = new SwapLive("a", Optional.of("b"), true);
        Plan toWritten = new Plan(List.of(swapBack), List.of(), List.of());
        PlanInvariants.check(desired, bWithoutIncludes, toWritten);
        Plan stageToUnwritten = new Plan(List.of(swapBack, new PointStage("b", Optional.of("a"), true)), List.of(), List.of());
        assertThatThrownBy(() -> PlanInvariants.check(desired, bWithoutIncludes, stageToUnwritten))
                .isInstanceOf(AssertionError.class).hasMessageContaining("includes are not written");
        Plan stageAfterWrite = new Plan(List.of(Hosts.writeIncludes(Strategy.SOCKET, "b"), swapBack,
                new PointStage("b", Optional.of("a"), true)), List.of(), List.of());
        PlanInvariants.check(desired, bWithoutIncludes, stageAfterWrite);
        Plan stageAfterWrongWrite = new Plan(List.of(Hosts.writeIncludes(Strategy.RELOAD, "b"), swapBack,
                new PointStage("b", Optional.of("a"), true)), List.of(), List.of());
        assertThatThrownBy(() -> PlanInvariants.check(desired, bWithoutIncludes, stageAfterWrongWrite))
                .isInstanceOf(AssertionError.class);

        // A build marked failed is never started, waited on, or given a role.
        ObservedHost cFailed = Hosts.from(host).with(Hosts.found("c").complete().includes().linked()
                .startFailed("health check")).get();
        DesiredState withC = Hosts.desired().build("a").build("b").build("c").live("a").stage("c").get();
        for (Action a : List.<Action>of(new WaitHealthy("c", 2020, "/healthz"), new LinkPool("c"),
                new PointStage("c", Optional.of("b"), true))) {
            assertThatThrownBy(() -> PlanInvariants.check(withC, cFailed, new Plan(List.of(a), List.of(), List.of())))
                    .as(a.toString()).isInstanceOf(AssertionError.class);
        }
        PlanInvariants.check(withC, cFailed, new Plan(List.of(new UnlinkPool("c")), List.of(), List.of()));

        // A move nginx has not loaded the include for must be confirmed by a reload.
        Plan unconfirmed = new Plan(List.of(new SwapLive("a", Optional.of("b"), false)), List.of(), List.of());
        assertThatThrownBy(() -> PlanInvariants.check(desired, bWithoutIncludes, unconfirmed))
                .isInstanceOf(AssertionError.class).hasMessageContaining("not followed by a reload");
    }

    private static DesiredState desired(Random random) {
        Hosts.Desired d = Hosts.desired();
        List<String> listed = new java.util.ArrayList<>();
        for (String name : NAMES) {
            int roll = random.nextInt(100);
            if (roll < 30) {
                continue;
            }
            listed.add(name);
            if (roll < 45) {
                d.inactive(name);
            } else {
                d.build(name, random.nextInt(20) == 0 ? "v2" : Hosts.REF);
            }
        }
        if (!listed.isEmpty() && random.nextInt(10) > 0) {
            d.live(listed.get(random.nextInt(listed.size())));
        }
        if (!listed.isEmpty() && random.nextInt(10) > 1) {
            d.stage(listed.get(random.nextInt(listed.size())));
        }
        d.strategy(strategy(random));
        return d.get();
    }

    private static ObservedHost observed(Random random) {
        Hosts.Host host = Hosts.host();
        for (String name : NAMES) {
            int roll = random.nextInt(100);
            Hosts.Found f = Hosts.found(name);
            if (roll < 15) {
                continue;
            } else if (roll < 25) {
                f.failed(random.nextBoolean() ? Hosts.REF : "v0", "migrate");
            } else if (roll < 30) {
                f.folder();
            } else {
                f.complete();
                int failure = random.nextInt(20);
                if (failure < 2) {
                    f.failed("v0", "migrate");
                } else if (failure < 4) {
                    f.startFailed(random.nextBoolean() ? "health check" : "start the worker pool");
                } else if (failure == 4) {
                    f.staleFailure("migrate");
                }
                int state = random.nextInt(6);
                if (state == 1) {
                    f.vassalOnly();
                } else if (state == 2) {
                    f.vassalOnly().poolKilled();
                } else if (state == 3) {
                    f.linked();
                } else if (state == 4) {
                    f.linked().healthy();
                } else if (state == 5) {
                    f.linked().healthy().warm();
                }
                includes(random, f);
            }
            host.with(f);
        }
        pick(random).ifPresent(host::live);
        pick(random).ifPresent(host::stage);
        int nginx = random.nextInt(8);
        if (nginx == 0) {
            // Recorded before includes were recorded (a host upgraded from an older Regent).
            host.nginx(new NginxApplied(pick(random), pick(random), Hosts.T0));
        } else if (nginx > 1) {
            host.nginx(strategy(random), pick(random), pick(random));
        }
        if (random.nextInt(8) == 0) {
            host.assembly("." + NAMES.get(random.nextInt(NAMES.size())) + ".tmp");
        }
        if (random.nextInt(40) == 0) {
            // nginx's confirmed config corrupt: whatever it pinned reads as absent above.
            host.unreadable("deploy/run/nginx-applied.json (Unexpected end-of-input)").noNginx();
        }
        if (random.nextInt(40) == 0) {
            host.webDown();
        }
        if (random.nextInt(40) == 0) {
            host.nginxDown();
        }
        return host.get();
    }

    private static Strategy strategy(Random random) {
        return random.nextBoolean() ? Strategy.SOCKET : Strategy.RELOAD;
    }

    /** A complete build's live.conf / stage.conf: mostly as one of the strategies writes them. */
    private static void includes(Random random, Hosts.Found f) {
        int roll = random.nextInt(10);
        if (roll < 4) {
            f.includes(Strategy.SOCKET);
        } else if (roll < 8) {
            f.includes(Strategy.RELOAD);
        } else if (roll == 8) {
            f.includes(Optional.of("# edited by hand\n"), Optional.empty());
        }
    }

    private static Optional<String> pick(Random random) {
        int i = random.nextInt(NAMES.size() + 1);
        return i == NAMES.size() ? Optional.empty() : Optional.of(NAMES.get(i));
    }
}
