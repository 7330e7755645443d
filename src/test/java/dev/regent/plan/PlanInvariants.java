package dev.regent.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.regent.nginx.NginxIncludes;
import dev.regent.observe.ObservedBuild;
import dev.regent.observe.ObservedHost;
import dev.regent.plan.Action.*;
import dev.regent.safety.RoleHolders;
import dev.regent.spec.BuildNames;
import dev.regent.spec.BuildSpec;
import dev.regent.spec.DesiredState;
import java.util.List;
import java.util.Optional;

/** The safety rules every plan must keep, checked against the inputs it was made from. */
final class PlanInvariants {
    private PlanInvariants() {
    }

    static Plan planChecked(DesiredState desired, ObservedHost observed) {
        Plan plan = Planner.plan(desired, observed, Optional.empty(), Hosts.T0);
        check(desired, observed, plan);
        return plan;
    }

    static void check(DesiredState desired, ObservedHost observed, Plan plan) {
        String context = "plan " + plan + "\nfor desired " + desired + "\nand observed " + observed;
        List<Action> actions = plan.actions();
        if (!plan.errors().isEmpty()) {
            assertThat(actions).as("rejected desired state must plan nothing: " + context).isEmpty();
        }
        if (!observed.containers().web() || !observed.containers().nginx()) {
            assertThat(actions).as("containers down: " + context).isEmpty();
            assertThat(plan.blocked()).as(context).isNotEmpty();
        }
        for (int i = 1; i < actions.size(); i++) {
            assertThat(actions.get(i - 1).phase()).as("phase order: " + context)
                    .isLessThanOrEqualTo(actions.get(i).phase());
        }
        assertThat(actions).as("no duplicate actions: " + context).doesNotHaveDuplicates();

        Optional<String> finalLive = observed.live();
        Optional<String> finalStage = observed.stage();
        for (Action a : actions) {
            if (a instanceof SwapLive || a instanceof RollBack) {
                finalLive = Optional.of(a.build());
            } else if (a instanceof PointStage p) {
                finalStage = Optional.of(p.build());
            }
        }
        // The one role rule, as the executor applies it too; the plan's own moves protect their targets.
        RoleHolders roleHolders = RoleHolders.of(observed).and(finalLive).and(finalStage);
        if (!observed.unreadable().isEmpty()) {
            assertThat(actions).as("a file a safety rule reads is unreadable: " + context).isEmpty();
            assertThat(plan.blocked()).as(context).extracting(BlockReason::code)
                    .containsAnyOf(BlockCode.UNREADABLE_STATE, BlockCode.WEB_DOWN, BlockCode.NGINX_DOWN);
        }

        for (int i = 0; i < actions.size(); i++) {
            Action a = actions.get(i);
            if (a instanceof UnlinkPool || a instanceof UnlinkVassal || a instanceof RemoveBuild) {
                assertThat(roleHolders.refusal(a.build())).as("stops or removes a build that holds a role: " + a + "\n" + context)
                        .isEmpty();
                assertThat(desired.builds().get(a.build())).as("stops a wanted-active build: " + a + "\n" + context)
                        .matches(spec -> spec == null || !spec.active() || startFailed(observed.build(a.build())));
            }
            if (a instanceof LinkVassal || a instanceof LinkPool || a instanceof WaitHealthy || a instanceof WarmUp) {
                assertThat(startFailed(observed.build(a.build())))
                        .as("starts or waits on a build marked failed: " + a + "\n" + context).isFalse();
            }
            if (a instanceof PostMigrate p) {
                assertThat(observed.live()).as("contract step of a build not live: " + a + "\n" + context).contains(p.build());
                assertThat(p.waitedFor()).as("contract step while a build it waits out holds a role: " + a + "\n" + context)
                        .allMatch(w -> roleHolders.refusal(w).isEmpty());
            }
            if (a instanceof SwapLive || a instanceof PointStage || a instanceof RollBack) {
                String target = a.build();
                // Live goes where desired says, or back to where a rollback pin holds it; stage may also
                // keep the desired live build warm while live is held (a pin, a smoke check, the approval gate).
                List<Optional<String>> wanted = a instanceof SwapLive ? List.of(desired.live())
                        : a instanceof RollBack r ? List.of(Optional.of(r.pin().from()))
                        : List.of(desired.stage(), desired.live());
                assertThat(wanted).as("role moved where desired does not want it: " + a + "\n" + context)
                        .contains(Optional.of(target));
                if (a instanceof RollBack r) {
                    assertThat(desired.live()).as("rolled back while the desired live is another build: " + context)
                            .contains(r.pin().build());
                }
                BuildSpec spec = desired.builds().get(target);
                assertThat(spec).as("role moved to an unlisted build: " + context).isNotNull();
                assertThat(spec.active()).as("role moved to an inactive build: " + context).isTrue();
                assertReadyBefore(observed.build(target), actions.subList(0, i), context + "\nat " + a);
                assertMigratedBefore(observed, target, actions.subList(0, i), context + "\nat " + a);
                assertIncludesWrittenBefore(desired, observed.build(target), actions.subList(0, i), context + "\nat " + a);
                boolean confirm = a instanceof SwapLive s ? s.confirm() : a instanceof RollBack r ? r.confirm()
                        : ((PointStage) a).confirm();
                if (!confirm) {
                    assertThat(actions.subList(i + 1, actions.size())).as("an unconfirmed role move is not followed "
                            + "by a reload, so nothing confirms nginx serves it: " + a + "\n" + context)
                            .anyMatch(later -> later instanceof ReloadNginx);
                }
            }
            if (a instanceof WriteIncludes w) {
                assertThat(desired.builds()).as("includes written for an unlisted build: " + a + "\n" + context)
                        .containsKey(w.build());
                assertThat(w).as("includes not as the desired strategy makes them: " + context)
                        .isEqualTo(expectedIncludes(desired, w.build()));
            }
            if (a instanceof ReloadNginx r) {
                assertThat(r.strategy()).as("reload under another strategy: " + context).isEqualTo(desired.strategy());
                assertThat(r.live()).as("reload names another live build: " + context).isEqualTo(finalLive);
                assertThat(r.stage()).as("reload names another stage build: " + context).isEqualTo(finalStage);
            }
        }
    }

    /** A complete build whose pool failed to start or to pass its health check after it was made. */
    static boolean startFailed(ObservedBuild found) {
        return found.record().flatMap(r -> found.failure().filter(f -> f.concerns(r))).isPresent();
    }

    private static WriteIncludes expectedIncludes(DesiredState desired, String build) {
        int port = BuildNames.port(build);
        return new WriteIncludes(build,
                NginxIncludes.content(desired.strategy(), build, NginxIncludes.LIVE, port),
                NginxIncludes.content(desired.strategy(), build, NginxIncludes.STAGE, port));
    }

    /**
     * A role only moves to a build whose live.conf and stage.conf are as the desired strategy makes
     * them: already on disk, or written by an earlier action of the plan.
     */
    private static void assertIncludesWrittenBefore(DesiredState desired, ObservedBuild found, List<Action> earlier,
                                                    String context) {
        WriteIncludes expected = expectedIncludes(desired, found.name());
        boolean onDisk = found.liveInclude().equals(Optional.of(expected.liveInclude()))
                && found.stageInclude().equals(Optional.of(expected.stageInclude()));
        boolean written = earlier.stream().anyMatch(expected::equals);
        boolean rebuilt = earlier.stream().anyMatch(a -> a instanceof CreateBuild && a.build().equals(found.name()));
        assertThat(written || onDisk && !rebuilt).as("role moved to a build whose includes are not written: " + context)
                .isTrue();
    }

    /**
     * A role only moves to a build whose release phase ran (or runs earlier in this plan), unless it
     * already holds a role; and live only to a build safe to roll back to, unless it opts in.
     */
    private static void assertMigratedBefore(ObservedHost observed, String target, List<Action> earlier, String context) {
        ObservedBuild found = observed.build(target);
        boolean holds = observed.live().equals(Optional.of(target)) || observed.stage().equals(Optional.of(target));
        // In a fleet a build made by this plan has its migration decided once made (the loop plans again).
        boolean migrates = earlier.stream().anyMatch(x -> x.build().equals(target) && (x instanceof Migrate
                || x instanceof AdoptMigration adopted && adopted.run().succeeded()
                || x instanceof CreateBuild && observed.fleet().isPresent()));
        assertThat(holds || found.migrated() || migrates).as("role moved to a build not migrated: " + context).isTrue();
    }

    /** The build is healthy and warm now (and nothing earlier restarts it), or earlier actions make it so. */
    private static void assertReadyBefore(ObservedBuild found, List<Action> earlier, String context) {
        String name = found.name();
        boolean created = earlier.stream().anyMatch(a -> a instanceof CreateBuild && a.build().equals(name));
        boolean poolLinked = earlier.stream().anyMatch(a -> a instanceof LinkPool && a.build().equals(name));
        boolean waited = earlier.stream().anyMatch(a -> a instanceof WaitHealthy && a.build().equals(name));
        boolean warmed = earlier.stream().anyMatch(a -> a instanceof WarmUp && a.build().equals(name));
        assertThat(found.complete() || created).as("target is never built: " + context).isTrue();
        assertThat(startFailed(found)).as("target is marked failed: " + context).isFalse();
        boolean restarted = created || poolLinked;
        assertThat(waited || found.healthy() && !restarted).as("target not proven healthy: " + context).isTrue();
        assertThat(warmed || found.warm() && !restarted && !waited).as("target not warm: " + context).isTrue();
        if (!found.complete()) {
            assertThat(found.failure().isEmpty() || created).as(context).isTrue();
        }
    }
}
