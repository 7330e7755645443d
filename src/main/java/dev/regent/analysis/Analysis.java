package dev.regent.analysis;

import dev.regent.observe.CanaryRecord;
import dev.regent.observe.ObservedPromotion;
import dev.regent.observe.PromotionRecord;
import dev.regent.spec.PromotionSpec;
import dev.regent.traffic.Figures;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Judges a new live build from its traffic. Pure: the figures are read by the Observer, {@code now} is given.
 *
 * <p>Each complete interval of the window is judged on its own. It is inconclusive with fewer than
 * {@code minRequests} requests. It fails when the build's 5xx rate exceeds the previous build's by more
 * than {@code maxErrorRate} with at least {@link #MIN_ERRORS} errors (so one unlucky request in a quiet
 * interval never fails it), or when its p99 exceeds {@code maxP99} and twice the previous build's p99.
 * The previous build's figures are its own over the window before the move; when it had fewer than
 * {@code minRequests} requests then, the new build is judged against the thresholds alone (error rate
 * above {@code maxErrorRate}, p99 above {@code maxP99}). {@code failureLimit} failed intervals fail
 * the analysis at once; a window with fewer passes it.
 */
public final class Analysis {
    static final int MIN_ERRORS = 2;

    private Analysis() {
    }

    /** The verdict on live, or empty when no analysis concerns it (off, no previous build, an automatic rollback). */
    public static Optional<Verdict> of(PromotionSpec.Analysis spec, ObservedPromotion observed, Optional<String> live,
                                       Instant now) {
        Optional<PromotionRecord> record = observed.last()
                .filter(r -> spec.enabled() && r.describes(live) && r.from().isPresent() && !r.automatic());
        return record.map(r -> judge(spec, r, observed.baseline(), observed.intervals(), now));
    }

    /**
     * The verdict on a canary of {@code record.build()} on {@code record.of()}'s router, by the same rules:
     * {@code intervals} its requests on live's ports since {@code record.at()}, {@code baseline} the live
     * build's over the same time.
     */
    public static Verdict canary(PromotionSpec.Analysis spec, CanaryRecord record, Figures baseline,
                                 List<Figures> intervals, Instant now) {
        var move = new PromotionRecord(Optional.of(record.of()), record.build(), record.revision(), "canary", record.at());
        return judge(spec, move, baseline, intervals, now, Wording.CANARY);
    }

    public static Verdict judge(PromotionSpec.Analysis spec, PromotionRecord record, Figures baseline,
                                List<Figures> intervals, Instant now) {
        return judge(spec, record, baseline, intervals, now, Wording.PROMOTION);
    }

    /** How the reason names the previous build's figures and the time the new build was judged over. */
    private record Wording(String baseline, String since) {
        static final Wording PROMOTION = new Wording("before it", "since it went live");
        static final Wording CANARY = new Wording("over the same time", "its canary served on live");
    }

    private static Verdict judge(PromotionSpec.Analysis spec, PromotionRecord record, Figures baseline,
                                 List<Figures> intervals, Instant now, Wording wording) {
        boolean relative = baseline.requests() >= spec.minRequests();
        List<Integer> failed = new ArrayList<>();
        List<String> why = new ArrayList<>();
        long requests = 0;
        long errors = 0;
        double p99 = 0;
        for (int i = 0; i < intervals.size(); i++) {
            Figures f = intervals.get(i);
            requests += f.requests();
            errors += f.errors();
            if (f.requests() < spec.minRequests()) {
                continue;
            }
            p99 = Math.max(p99, f.p99Millis());
            double allowedRate = (relative ? baseline.errorRate() : 0) + spec.maxErrorRate();
            boolean tooManyErrors = f.errorRate() > allowedRate && f.errors() >= MIN_ERRORS;
            double limitP99 = spec.maxP99().toMillis();
            boolean tooSlow = f.p99Millis() > limitP99 && (!relative || f.p99Millis() > 2 * baseline.p99Millis());
            if (tooManyErrors || tooSlow) {
                failed.add(i);
                why.add(tooManyErrors ? "errors" : "slow");
            }
        }
        Figures seen = new Figures(requests, errors, p99);
        if (failed.size() >= spec.failureLimit()) {
            return new Verdict.Failed(reason(spec, record, baseline, relative, seen, intervals, failed, why, wording), seen);
        }
        long total = intervals(spec.window(), spec.interval());
        Instant windowEnd = record.at().plus(spec.window());
        if (intervals.size() >= total || !now.isBefore(windowEnd.plus(ObservedPromotion.AFTER_WINDOW))) {
            return new Verdict.Passed(intervals.size(), failed.size());
        }
        Instant nextEnd = record.at().plus(spec.interval().multipliedBy(intervals.size() + 1L));
        Instant lookAgain = (nextEnd.isAfter(windowEnd) ? windowEnd : nextEnd).plus(ObservedPromotion.GRACE);
        return new Verdict.Running(lookAgain, intervals.size(), failed.size());
    }

    /** How many intervals a window is judged in (the last one may be shorter). */
    public static long intervals(Duration window, Duration interval) {
        return (window.toMillis() + interval.toMillis() - 1) / interval.toMillis();
    }

    private static String reason(PromotionSpec.Analysis spec, PromotionRecord record, Figures baseline, boolean relative,
                                 Figures seen, List<Figures> intervals, List<Integer> failed, List<String> why,
                                 Wording wording) {
        String previous = record.from().orElse("?");
        long failedRequests = failed.stream().mapToLong(i -> intervals.get(i).requests()).sum();
        long failedErrors = failed.stream().mapToLong(i -> intervals.get(i).errors()).sum();
        double worstP99 = failed.stream().mapToDouble(i -> intervals.get(i).p99Millis()).max().orElse(0);
        String compared = relative
                ? String.format(Locale.ROOT, "build %s %s: %s of %d requests failed, p99 %.0f ms", previous,
                        wording.baseline(), percent(baseline.errorRate()), baseline.requests(), baseline.p99Millis())
                : String.format(Locale.ROOT, "build %s served too few requests before it to compare, so judged against"
                        + " the limits alone", previous);
        String what = why.contains("errors")
                ? String.format(Locale.ROOT, "failed %s of its requests (%d of %d; at most %s more than build %s allowed)",
                        percent(failedRequests == 0 ? 0 : (double) failedErrors / failedRequests), failedErrors,
                        failedRequests, percent(spec.maxErrorRate()), previous)
                : String.format(Locale.ROOT, "answered with a p99 of %.0f ms (limit %d ms%s)", worstP99,
                        spec.maxP99().toMillis(), relative ? " and twice build " + previous + "'s" : "");
        if (why.contains("errors") && why.contains("slow")) {
            what += String.format(Locale.ROOT, " and was slow (p99 up to %.0f ms)", worstP99);
        }
        return String.format(Locale.ROOT, "build %s %s in %d of %d intervals of %d s (%s; over all %d requests %s:"
                        + " %d failed)", record.to(), what, failed.size(), intervals.size(),
                spec.interval().toSeconds(), compared, seen.requests(), wording.since(), seen.errors());
    }

    private static String percent(double rate) {
        return String.format(Locale.ROOT, "%.1f%%", rate * 100);
    }
}
