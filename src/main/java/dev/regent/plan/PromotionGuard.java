package dev.regent.plan;

import dev.regent.analysis.Analysis;
import dev.regent.analysis.Verdict;
import dev.regent.approval.Approval;
import dev.regent.observe.BuildRecord;
import dev.regent.observe.ObservedHost;
import dev.regent.observe.Pin;
import dev.regent.observe.PromotionRecord;
import dev.regent.observe.SmokeRecord;
import dev.regent.plan.Action.ReleasePin;
import dev.regent.plan.Action.SmokeCheck;
import dev.regent.safety.RollbackSafety;
import dev.regent.spec.BuildNames;
import dev.regent.spec.DesiredState;
import dev.regent.spec.PromotionSpec;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * spec.promotion's say over live, for the pure planner: rollback pins, the analysis of the new live
 * build, smoke checks and the approval gate.
 *
 * <p>The pin rule: a pin on build X holds live at the build X was rolled back to while the desired
 * live is X (so a resync, a re-poll or a webhook for the same revision never promotes X again); the
 * first desired state whose live is another build releases it (a new decision).
 */
final class PromotionGuard {

    private PromotionGuard() {
    }

    /**
     * Live as the pins and the analysis want it. {@code pin}: present when live is held at (or rolled
     * back to) {@code pin.from()}; then {@code live} and {@code stage} replace the desired ones, and the
     * sync windows and the gates do not apply (a rollback is never held back).
     */
    record Held(Optional<Pin> pin, Optional<String> live, Optional<String> stage, Optional<Instant> lookAgainAt) {
        static final Held NONE = new Held(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    static Held pinsAndAnalysis(DesiredState desired, ObservedHost observed, Set<String> ready, Instant now,
                                List<Action> actions, List<BlockReason> blocked) {
        var guard = observed.promotion();
        guard.pins().stream().filter(p -> !desired.live().equals(Optional.of(p.build())))
                .forEach(p -> actions.add(new ReleasePin(p.build())));
        Optional<Pin> holding = desired.live().flatMap(guard::pin);
        if (holding.isPresent()) {
            return hold(desired, holding.get(), blocked);
        }
        Optional<Verdict> verdict = Analysis.of(desired.promotion().analysis(), guard, observed.live(), now);
        if (verdict.isPresent() && verdict.get() instanceof Verdict.Running running) {
            return new Held(Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(running.lookAgainAt()));
        }
        if (verdict.isEmpty() || !(verdict.get() instanceof Verdict.Failed failed)) {
            return Held.NONE;
        }
        PromotionRecord move = guard.last().orElseThrow();
        if (!desired.live().equals(Optional.of(move.to()))) {
            return Held.NONE; // the desired live moved on: that is a new decision, made as usual
        }
        String previous = move.from().orElseThrow();
        Optional<String> unsafe = RollbackSafety.unsafe(observed.build(previous).migration(), observed.breaking());
        if (!ready.contains(previous) || unsafe.isPresent()) {
            blocked.add(new BlockReason(BlockCode.ANALYSIS_FAILED, "live stays at " + move.to() + ": " + failed.reason()
                    + ", but build " + previous + " it replaced " + unsafe.map(w -> "is not safe to roll back to: " + w)
                    .orElse("is not running warm to roll back to") + "; change live to move it"));
            return Held.NONE;
        }
        return hold(desired, new Pin(move.to(), move.revision(), previous, failed.reason(), failed.figures(), now), blocked);
    }

    private static Held hold(DesiredState desired, Pin pin, List<BlockReason> blocked) {
        blocked.add(new BlockReason(BlockCode.ROLLED_BACK, "live held at " + pin.from() + ": revision "
                + shortRevision(pin.revision()) + " was rolled back because " + pin.reason() + " (a desired state whose"
                + " live is not " + pin.build() + " releases it; regent rollback makes the desired state say "
                + pin.from() + ")"));
        // The rolled-back build stays stage, so it stays warm and can be looked at.
        Optional<String> stage = desired.stage().isEmpty() || desired.stage().equals(Optional.of(pin.from()))
                ? Optional.of(pin.build()) : desired.stage();
        return new Held(Optional.of(pin), Optional.of(pin.from()), stage, Optional.empty());
    }

    /** The build live may move to after the smoke check and the approval gate: empty holds it. */
    record Gated(Optional<String> live, Optional<String> approvedBy) {
    }

    static Gated gates(DesiredState desired, ObservedHost observed, Optional<String> wanted, Set<String> ready,
                       List<Action> actions, List<BlockReason> blocked) {
        if (wanted.isEmpty() || wanted.equals(observed.live())) {
            return new Gated(wanted, Optional.empty());
        }
        String build = wanted.get();
        PromotionSpec spec = desired.promotion();
        String stays = "live stays at " + observed.live().orElse("(none)") + ": build " + build;
        Optional<BuildRecord> made = observed.build(build).record();
        Optional<String> commit = made.map(BuildRecord::commit);
        boolean held = false;
        if (spec.smoke().isPresent()) {
            var smoke = spec.smoke().get();
            Optional<SmokeRecord> done = commit.flatMap(c -> Optional.ofNullable(observed.promotion().smoke().get(build))
                    .filter(r -> r.concerns(c, smoke.paths(), smoke.requests())));
            if (done.isPresent() && !done.get().passed()) {
                blocked.add(new BlockReason(BlockCode.SMOKE_FAILED, stays + " failed its smoke check: " + done.get().detail()
                        + " (checked again when the build or spec.promotion.smoke changes)"));
                held = true;
            } else if (done.isEmpty() && ready.contains(build)) {
                actions.add(new SmokeCheck(build, BuildNames.port(build), smoke.paths(), smoke.requests()));
            }
        }
        Optional<String> approvedBy = Optional.empty();
        if (spec.requireApproval() && !held) {
            Optional<Approval> approval = made.flatMap(m -> Optional.ofNullable(observed.promotion().approvals().get(build))
                    .filter(a -> approves(a, m)));
            if (approval.isEmpty()) {
                blocked.add(new BlockReason(BlockCode.AWAITING_APPROVAL, stays + " waits for approval (regent approve "
                        + build + ")"));
                held = true;
            } else {
                approvedBy = Optional.ofNullable(approval.get().by()).or(() -> Optional.of("someone"));
            }
        }
        return held ? new Gated(Optional.empty(), Optional.empty()) : new Gated(wanted, approvedBy);
    }

    /**
     * An approval counts for the build as made from its commit: after the build is made again from
     * another commit (same name), the old approval no longer counts. One without a commit counts only
     * if given after the build was made.
     */
    private static boolean approves(Approval approval, BuildRecord made) {
        if (approval.commit() != null && !approval.commit().isBlank()) {
            return approval.commit().equals(made.commit());
        }
        return approval.at() != null && !approval.at().isBefore(made.createdAt());
    }

    /** While live is held by a gate, the build that waits keeps (or takes) stage instead of the build live stays at. */
    static Optional<String> stageWhileHeld(DesiredState desired, ObservedHost observed) {
        return desired.stage().isPresent() && desired.stage().equals(observed.live()) ? desired.live() : desired.stage();
    }

    static String shortRevision(String revision) {
        if (revision.startsWith("file:")) {
            return revision.substring(0, Math.min(revision.length(), 17));
        }
        return revision.length() > 12 ? revision.substring(0, 12) : revision;
    }
}
