package dev.regent.plan;

import dev.regent.nginx.NginxIncludes;
import dev.regent.observe.BuildFailure;
import dev.regent.observe.ObservedBuild;
import dev.regent.observe.ObservedHost;
import dev.regent.plan.Action.CreateBuild;
import dev.regent.plan.Action.LinkPool;
import dev.regent.plan.Action.LinkVassal;
import dev.regent.plan.Action.LiveCheck;
import dev.regent.plan.Action.Migrate;
import dev.regent.plan.Action.ReattachPool;
import dev.regent.plan.Action.WaitHealthy;
import dev.regent.plan.Action.WarmUp;
import dev.regent.plan.Action.WriteIncludes;
import dev.regent.spec.BuildNames;
import dev.regent.spec.BuildSpec;
import dev.regent.spec.DesiredState;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * For the pure planner, one listed build's way to serving: made, its includes written, its vassal
 * and pool linked, healthy, migrated before it first takes a role, warm. A build that failed stays
 * failed until its ref changes (or it is listed again under another name).
 */
final class BuildPreparation {

    private BuildPreparation() {
    }

    /** Adds what a listed build still needs; returns its name if it will be healthy and warm. */
    static Optional<String> prepare(DesiredState desired, BuildSpec spec, ObservedHost observed, Instant now,
                                    List<Action> actions, List<BlockReason> blocked, List<Instant> wakeUps) {
        String name = spec.name();
        ObservedBuild found = observed.build(name);
        boolean changed = false;
        if (!found.complete()) {
            var failure = found.failure().filter(f -> f.ref().equals(spec.ref()));
            if (failure.isPresent()) {
                blocked.add(new BlockReason(BlockCode.BUILD_FAILED, "build " + name + " failed at step \""
                        + failure.get().step() + "\": " + failure.get().output().strip()
                        + " (change its ref or remove it to retry)"));
                return Optional.empty();
            }
            if (found.folder()) {
                blocked.add(new BlockReason(BlockCode.FOREIGN_FOLDER,
                        "deploy/builds/" + name + " exists but is not a complete Regent build; move it away"));
                return Optional.empty();
            }
            actions.add(new CreateBuild(desired.effective(spec)));
            changed = true;
        } else if (startFailure(found).isPresent()) {
            // Never waited on again, so it holds back no other build; retire() stops its processes.
            var failure = startFailure(found).get();
            if (spec.active()) {
                blocked.add(new BlockReason(BlockCode.BUILD_FAILED, "build " + name + " failed at step \""
                        + failure.step() + "\": " + gist(failure.output())
                        + " (it is not started again; regent status shows the rest; to retry, remove it from the"
                        + " desired state and apply, then list it again, or list its ref under a new build name)"));
            }
            return Optional.empty();
        }
        var effective = desired.effective(spec);
        String liveInclude = include(desired, name, NginxIncludes.LIVE);
        String stageInclude = include(desired, name, NginxIncludes.STAGE);
        if (changed || !found.liveInclude().equals(Optional.of(liveInclude))
                || !found.stageInclude().equals(Optional.of(stageInclude))) {
            actions.add(new WriteIncludes(name, liveInclude, stageInclude));
        }
        if (!spec.active()) {
            return Optional.empty();
        }
        if (changed || !found.vassalLinked()) {
            actions.add(new LinkVassal(name));
        }
        if (changed || !found.poolLinked()) {
            actions.add(new LinkPool(name));
            changed = true;
        } else if (found.poolOrphaned()) {
            actions.add(new ReattachPool(name));
            changed = true;
        }
        if (changed || !found.healthy()) {
            actions.add(new WaitHealthy(name, effective.port(), effective.healthPath()));
            changed = true;
        }
        boolean hasRole = desired.live().equals(Optional.of(name)) || desired.stage().equals(Optional.of(name));
        boolean holdsRole = observed.live().equals(Optional.of(name)) || observed.stage().equals(Optional.of(name));
        // A build that already serves is never held back: its schema is the one it serves with.
        if (hasRole && !holdsRole && !found.migrated()) {
            var step = FleetMigrations.plan(desired, observed, new Migrate(name, liveCheck(desired, observed, name),
                    desired.migrations()), now, actions, blocked);
            step.lookAgainAt().ifPresent(wakeUps::add);
            if (!step.migrates()) {
                return Optional.empty();
            }
        }
        if (hasRole && (changed || !found.warm())) {
            actions.add(new WarmUp(name, effective.port(), effective.healthPath()));
            changed = true;
        }
        return Optional.of(name);
    }

    /** How to prove the build serving live now still answers after {@code build} migrated, if another one serves. */
    private static Optional<LiveCheck> liveCheck(DesiredState desired, ObservedHost observed, String build) {
        return observed.live().filter(l -> !l.equals(build)).map(l -> new LiveCheck(l, BuildNames.port(l),
                Optional.ofNullable(desired.builds().get(l)).map(b -> desired.effective(b).healthPath())
                        .orElse(desired.source().healthPath())));
    }

    static String include(DesiredState desired, String build, String role) {
        return NginxIncludes.content(desired.strategy(), build, role, BuildNames.port(build));
    }

    /** The first and the last line of a long output: what failed, and the error it ended with. */
    static String gist(String output) {
        List<String> lines = output.strip().lines().toList();
        return lines.size() < 2 ? output.strip() : lines.get(0) + " ... " + lines.get(lines.size() - 1).strip();
    }

    /** The failure of a complete build's pool (it never came up or never passed its health check), if any. */
    static Optional<BuildFailure> startFailure(ObservedBuild found) {
        return found.record().flatMap(r -> found.failure().filter(f -> f.concerns(r)));
    }
}
