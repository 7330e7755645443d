package dev.regent.plan;

import dev.regent.observe.BuildRecord;
import dev.regent.observe.ObservedBuild;
import dev.regent.observe.ObservedHost;
import dev.regent.plan.Action.*;
import dev.regent.nginx.NginxIncludes;
import dev.regent.safety.RoleHolders;
import dev.regent.safety.RollbackSafety;
import dev.regent.spec.BuildSpec;
import dev.regent.spec.DesiredState;
import dev.regent.spec.SpecChecks;
import dev.regent.spec.SpecError;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * plan(desired, observed): the ordered actions that converge the host. Pure: no I/O, no clock.
 *
 * <p>Safety rules it keeps: a role (live, stage) only moves to a build that is, or will be by
 * earlier actions of this plan, healthy and warm; no action stops, unlinks or removes a build that
 * {@code _live}, {@code _stage} or nginx's confirmed config points at, now or after the plan
 * ({@link RoleHolders}); and while a file those rules read is unreadable, nothing is done at all.
 */
public final class Planner {

    private Planner() {
    }

    /**
     * {@code liveMoveBlocked}, when present, says why live may not move now (a sync window): live
     * stays, everything else still converges. {@code now}: the instant the site's certificate files
     * are judged at (their validity), given like the sync windows' verdict so planning reads no clock.
     */
    public static Plan plan(DesiredState desired, ObservedHost observed, Optional<String> liveMoveBlocked, Instant now) {
        if (!observed.containers().web()) {
            return blocked(BlockCode.WEB_DOWN, "the web container of compose project " + desired.name() + " is not running");
        }
        if (!observed.containers().nginx()) {
            return blocked(BlockCode.NGINX_DOWN, "the nginx container of compose project " + desired.name() + " is not running");
        }
        if (!observed.unreadable().isEmpty()) {
            return blocked(BlockCode.UNREADABLE_STATE, "could not read " + String.join(", ", observed.unreadable())
                    + "; Regent's safety rules depend on it, so nothing is changed until it is repaired");
        }
        List<SpecError> errors = SpecChecks.againstRecorded(desired, recordedRefs(observed), recordedCommits(observed));
        if (!errors.isEmpty()) {
            return new Plan(List.of(), List.of(), errors);
        }
        var actions = new ArrayList<Action>();
        var blocked = new ArrayList<BlockReason>();
        var ready = new HashSet<String>();
        var wakeUps = new ArrayList<Instant>();
        observed.assemblies().forEach(folder -> actions.add(new RemoveAssembly(assemblyBuild(folder), folder)));

        for (BuildSpec spec : desired.builds().values()) {
            BuildPreparation.prepare(desired, spec, observed, now, actions, blocked, wakeUps).ifPresent(ready::add);
        }

        Optional<String> wantedLive = desired.live();
        Optional<String> wantedStage = desired.stage();
        Optional<String> approvedBy = Optional.empty();
        Optional<Instant> fleetLookAgainAt = Optional.empty();
        var held = PromotionGuard.pinsAndAnalysis(desired, observed, ready, now, actions, blocked);
        if (held.pin().isPresent()) {
            wantedLive = held.live();
            wantedStage = held.stage();
        } else {
            if (liveMoveBlocked.isPresent() && wantedLive.isPresent() && !wantedLive.equals(observed.live())) {
                blocked.add(new BlockReason(BlockCode.SYNC_WINDOW, "live stays at " + observed.live().orElse("(none)")
                        + ": promoting build " + wantedLive.get() + " waits for a sync window (" + liveMoveBlocked.get() + ")"));
                wantedLive = Optional.empty();
            }
            wantedLive = unsafeRollback(desired, observed, wantedLive, blocked) ? Optional.empty() : wantedLive;
            var gated = PromotionGuard.gates(desired, observed, wantedLive, ready, actions, blocked);
            var turn = FleetGuard.gate(desired, observed, gated.live(), ready, now, actions, blocked);
            if (wantedLive.isPresent() && turn.live().isEmpty()) {
                wantedStage = PromotionGuard.stageWhileHeld(desired, observed);
            }
            wantedLive = turn.live();
            approvedBy = gated.approvedBy();
            fleetLookAgainAt = turn.lookAgainAt();
        }
        var canary = CanaryGuard.plan(desired, observed, held.pin().isPresent() ? Optional.empty() : wantedLive, ready, now,
                actions, blocked);
        if (canary.holdsLive()) {
            wantedStage = PromotionGuard.stageWhileHeld(desired, observed);
            wantedLive = Optional.empty();
        }
        Optional<String> live = moveRole("live", wantedLive, observed.live(), ready, blocked);
        Optional<String> stage = moveRole("stage", wantedStage, observed.stage(), ready, blocked);
        Optional<String> finalLive = live.or(observed::live);
        Optional<String> finalStage = stage.or(observed::stage);
        Optional<String> liveInclude = finalLive.flatMap(b -> roleInclude(desired, observed, b, NginxIncludes.LIVE));
        Optional<String> stageInclude = finalStage.flatMap(b -> roleInclude(desired, observed, b, NginxIncludes.STAGE));
        boolean liveLoaded = observed.nginx().filter(n -> n.liveInclude().equals(liveInclude)).isPresent();
        boolean stageLoaded = observed.nginx().filter(n -> n.stageInclude().equals(stageInclude)).isPresent();
        Optional<String> approver = approvedBy;
        live.filter(b -> !observed.live().equals(Optional.of(b))).ifPresent(b -> actions.add(held.pin().isPresent()
                ? new RollBack(b, held.pin().get(), liveLoaded) : new SwapLive(b, observed.live(), liveLoaded, approver)));
        stage.filter(b -> !observed.stage().equals(Optional.of(b)))
                .ifPresent(b -> actions.add(new PointStage(b, observed.stage(), stageLoaded)));
        boolean anyRole = finalLive.isPresent() || finalStage.isPresent();
        if (!(liveLoaded && stageLoaded) && (anyRole || observed.nginx().isPresent())) {
            actions.add(new ReloadNginx(finalLive, finalStage, desired.strategy()));
        }

        RoleHolders holders = RoleHolders.of(observed).and(finalLive).and(finalStage);
        for (ObservedBuild found : observed.builds().values()) {
            retire(new BuildPair(found.name(), Optional.ofNullable(desired.builds().get(found.name())), found),
                    holders, actions, blocked);
        }
        Optional<Instant> contractLookAgainAt = ContractStepPlanning.plan(desired, observed, finalLive, holders, now, actions,
                blocked);
        SitePlanning.plan(desired.site(), observed, now, actions, blocked);
        FleetGuard.slots(desired, observed, now, actions);
        FleetMigrations.owed(desired, observed, actions);
        actions.sort(Comparator.comparing(Action::phase));
        Optional<Instant> lookAgainAt = earliest(earliest(canary.lookAgainAt(), held.lookAgainAt()),
                earliest(fleetLookAgainAt, contractLookAgainAt));
        for (Instant wakeUp : wakeUps) {
            lookAgainAt = earliest(lookAgainAt, Optional.of(wakeUp));
        }
        return new Plan(List.copyOf(actions), List.copyOf(blocked), List.of(), lookAgainAt);
    }

    private static Optional<Instant> earliest(Optional<Instant> one, Optional<Instant> other) {
        return one.filter(o -> other.map(o::isBefore).orElse(true)).or(() -> other);
    }

    /**
     * Whether live must stay because the wanted build's code does not know a breaking migration
     * applied since ({@link RollbackSafety}), and the build does not opt in with allowUnsafeRollback.
     */
    private static boolean unsafeRollback(DesiredState desired, ObservedHost observed, Optional<String> wanted,
                                          List<BlockReason> blocked) {
        if (wanted.isEmpty() || wanted.equals(observed.live())
                || desired.builds().get(wanted.get()).allowUnsafeRollback()) {
            return false;
        }
        Optional<String> why = RollbackSafety.unsafe(observed.build(wanted.get()).migration(), observed.breaking());
        why.ifPresent(w -> blocked.add(new BlockReason(BlockCode.UNSAFE_ROLLBACK, "live stays at "
                + observed.live().orElse("(none)") + ": build " + wanted.get() + " is not safe to roll back to: " + w
                + "; to move live anyway set allowUnsafeRollback: true on it (regent swap-live " + wanted.get()
                + " --allow-unsafe-rollback)")));
        return why.isPresent();
    }

    /**
     * The include nginx will load for a role: the desired one for a listed build (WriteIncludes
     * makes it so), what is on disk for an unlisted build that still holds the role.
     */
    private static Optional<String> roleInclude(DesiredState desired, ObservedHost observed, String build, String role) {
        if (desired.builds().containsKey(build)) {
            return Optional.of(BuildPreparation.include(desired, build, role));
        }
        var found = observed.build(build);
        return role.equals(NginxIncludes.LIVE) ? found.liveInclude() : found.stageInclude();
    }

    /** The build a role should point at after this plan, or empty to leave it as it is. */
    private static Optional<String> moveRole(String role, Optional<String> wanted, Optional<String> current,
                                             Set<String> ready, List<BlockReason> blocked) {
        if (wanted.isEmpty() || wanted.equals(current)) {
            return wanted;
        }
        if (!ready.contains(wanted.get())) {
            blocked.add(new BlockReason(BlockCode.NOT_READY,
                    role + " stays at " + current.orElse("(none)") + ": build " + wanted.get() + " is not ready"));
            return Optional.empty();
        }
        return wanted;
    }

    /**
     * Stops what no desired build needs: unlisted and inactive builds, and builds whose pool failed
     * to start or to pass its health check (they stop consuming CPU; their folder stays for status).
     */
    private static void retire(BuildPair pair, RoleHolders holders, List<Action> actions, List<BlockReason> blocked) {
        ObservedBuild found = pair.observed();
        boolean failed = pair.listed() && BuildPreparation.startFailure(found).isPresent();
        if (pair.wantedActive() && !failed) {
            return;
        }
        boolean running = found.poolLinked() || found.vassalLinked();
        if (holders.refusal(pair.name()).isPresent()) {
            if (running || !pair.listed()) {
                blocked.add(new BlockReason(BlockCode.ROLE_HELD, "build " + pair.name()
                        + " holds a role (live, stage or nginx), so it is not "
                        + (!pair.listed() ? "removed" : failed ? "stopped" : "deactivated") + " until the role moves"));
            }
            return;
        }
        if (found.poolLinked()) {
            actions.add(new UnlinkPool(pair.name()));
        }
        if (found.vassalLinked()) {
            actions.add(new UnlinkVassal(pair.name()));
        }
        boolean failedOnly = !found.folder() && found.failure().isPresent();
        if (!pair.listed() && (found.folder() || failedOnly)) {
            actions.add(new RemoveBuild(pair.name()));
        }
    }

    private static Map<String, String> recordedRefs(ObservedHost observed) {
        Map<String, String> refs = new LinkedHashMap<>();
        observed.builds().values().forEach(b -> b.record().ifPresent(r -> refs.put(b.name(), r.ref())));
        return refs;
    }

    private static Map<String, String> recordedCommits(ObservedHost observed) {
        Map<String, String> commits = new LinkedHashMap<>();
        observed.builds().values().forEach(b -> b.record().map(BuildRecord::commit).ifPresent(c -> commits.put(b.name(), c)));
        return commits;
    }

    private static String assemblyBuild(String folder) {
        return folder.replaceFirst("^\\.", "").replaceFirst("\\.tmp$", "");
    }

    private static Plan blocked(BlockCode code, String message) {
        return new Plan(List.of(), List.of(new BlockReason(code, message)), List.of());
    }
}
