package dev.regent.plan;

import dev.regent.analysis.Analysis;
import dev.regent.analysis.Verdict;
import dev.regent.observe.BuildRecord;
import dev.regent.observe.CanaryReading;
import dev.regent.observe.CanaryRecord;
import dev.regent.observe.ObservedBuild;
import dev.regent.observe.ObservedCanary;
import dev.regent.observe.ObservedHost;
import dev.regent.observe.ObservedPromotion;
import dev.regent.observe.Pin;
import dev.regent.plan.Action.AttachCanary;
import dev.regent.plan.Action.FailCanary;
import dev.regent.plan.Action.PassCanary;
import dev.regent.plan.Action.WithdrawCanary;
import dev.regent.spec.DesiredState;
import dev.regent.spec.PromotionSpec;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * spec.promotion.canary, for the pure planner. Before live moves from a to b, a pool of b attaches to
 * a's router and serves about its share of live; b's requests on live's ports are judged against a's
 * over the same time by the analysis' rules. Passed: the canary is withdrawn and live moves as in any
 * promotion. Failed: b is pinned as by an automatic rollback and the canary withdrawn; live never moves.
 *
 * <p>Each step rests on what is observed: the canary's record (deploy/run/canary.json) says since when it
 * serves and whether it passed; a canary no plan wants, or a record that no longer describes the move
 * under way, is withdrawn. A canary is attached only to a build proven healthy and warm by observation
 * (no earlier action of the plan pending on it), and only to the router of the build live is now.
 */
final class CanaryGuard {
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

    private CanaryGuard() {
    }

    /** {@code holdsLive}: live must not move in this plan; {@code lookAgainAt}: when the canary's next interval is judged. */
    record Decision(boolean holdsLive, Optional<Instant> lookAgainAt) {
        static final Decision NONE = new Decision(false, Optional.empty());
        static final Decision HOLD = new Decision(true, Optional.empty());
    }

    /**
     * {@code moving}: the build live is about to move to by the desired state, once pins, sync windows
     * and gates have had their say (empty when live stays, or moves back by a rollback pin).
     */
    static Decision plan(DesiredState desired, ObservedHost observed, Optional<String> moving, Set<String> ready,
                         Instant now, List<Action> actions, List<BlockReason> blocked) {
        Optional<PromotionSpec.Canary> spec = desired.promotion().canary();
        Optional<String> wanted = moving.filter(b -> spec.isPresent() && observed.live().isPresent()
                && !observed.live().get().equals(b) && ready.contains(b));
        Decision decision = wanted.map(b -> canary(desired, observed, b, observed.live().get(), spec.get().workers(),
                now, actions, blocked)).orElse(Decision.NONE);
        withdrawTheRest(observed, wanted, actions);
        return decision;
    }

    private static Decision canary(DesiredState desired, ObservedHost observed, String build, String of, int workers,
                                   Instant now, List<Action> actions, List<BlockReason> blocked) {
        String stays = "live stays at " + of + ": ";
        ObservedBuild found = observed.build(build);
        if (!found.healthy() || !found.warm() || actions.stream().anyMatch(a -> a.build().equals(build))) {
            return Decision.HOLD; // Its own earlier actions come first; the canary is attached once they are observed done.
        }
        CanaryReading reading = observed.promotion().canary();
        String commit = found.record().map(BuildRecord::commit).orElse("");
        Optional<CanaryRecord> record = reading.record().filter(r -> r.concerns(build, of, workers, commit));
        Optional<ObservedCanary> pool = reading.pool(build);
        if (record.isPresent() && record.get().passed()) {
            if (pool.isPresent()) {
                actions.add(new PassCanary(build, of));
            }
            return Decision.NONE;
        }
        PromotionSpec.Analysis analysis = desired.promotion().analysis();
        boolean attached = pool.filter(p -> p.linked() && p.target().equals(Optional.of(new ObservedCanary.Target(of, workers))))
                .isPresent();
        // Past the window and the grace after it the figures are no longer read: judge a whole window again.
        boolean lapsed = record.isPresent()
                && !now.isBefore(record.get().at().plus(analysis.window()).plus(ObservedPromotion.AFTER_WINDOW));
        String canary = "a canary of build " + build + " (" + workers + (workers == 1 ? " worker" : " workers")
                + " on its router)";
        if (record.isEmpty() || !attached || lapsed) {
            actions.add(new AttachCanary(build, of, workers));
            blocked.add(new BlockReason(BlockCode.CANARY, stays + canary + " serves a share of live first; live moves"
                    + " to " + build + " once it passes its analysis"));
            return Decision.HOLD;
        }
        Verdict verdict = Analysis.canary(analysis, record.get(), reading.baseline(), reading.intervals(), now);
        if (verdict instanceof Verdict.Running running) {
            blocked.add(new BlockReason(BlockCode.CANARY, stays + canary + " serves a share of live since "
                    + CLOCK.format(record.get().at()) + " UTC and is judged: " + running.judged() + " of "
                    + Analysis.intervals(analysis.window(), analysis.interval()) + " intervals judged, "
                    + running.failed() + " failed"));
            return new Decision(true, Optional.of(running.lookAgainAt()));
        }
        if (verdict instanceof Verdict.Failed failed) {
            actions.add(new FailCanary(build, new Pin(build, record.get().revision(), of, "its canary on build " + of
                    + "'s router failed its analysis: " + failed.reason(), failed.figures(), now)));
            return Decision.HOLD;
        }
        actions.add(new PassCanary(build, of));
        return Decision.NONE;
    }

    /** Every canary but the wanted one goes, and a record that describes no canary wanted now. */
    private static void withdrawTheRest(ObservedHost observed, Optional<String> wanted, List<Action> actions) {
        Set<String> withdrawn = new HashSet<>();
        CanaryReading reading = observed.promotion().canary();
        for (ObservedCanary pool : reading.pools()) {
            if (!wanted.equals(Optional.of(pool.build()))) {
                actions.add(new WithdrawCanary(pool.build(), why(observed, pool.build())));
                withdrawn.add(pool.build());
            }
        }
        reading.record().map(CanaryRecord::build)
                .filter(b -> !wanted.equals(Optional.of(b)) && !withdrawn.contains(b))
                .ifPresent(b -> actions.add(new WithdrawCanary(b, why(observed, b))));
    }

    private static String why(ObservedHost observed, String build) {
        return observed.live().equals(Optional.of(build)) ? "it is live now" : "no canary of it is wanted now";
    }
}
