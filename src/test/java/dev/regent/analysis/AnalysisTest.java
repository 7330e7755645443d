package dev.regent.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.regent.observe.ObservedPromotion;
import dev.regent.observe.PromotionRecord;
import dev.regent.spec.PromotionSpec;
import dev.regent.traffic.Figures;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The analysis of a new live build, on plain figures: default spec (60 s window, 5 s intervals, 1%, 500 ms, 20, 3). */
class AnalysisTest {
    private static final PromotionSpec.Analysis SPEC = PromotionSpec.Analysis.DEFAULT;
    private static final Instant AT = Instant.parse("2026-11-28T14:00:00Z");
    private static final PromotionRecord MOVE = new PromotionRecord(Optional.of("a"), "b", "c0ffee", "git", AT);
    private static final Figures GOOD_BASELINE = new Figures(2400, 2, 40);

    private static List<Figures> times(int n, Figures f) {
        return Collections.nCopies(n, f);
    }

    private static Verdict judge(Figures baseline, List<Figures> intervals) {
        return Analysis.judge(SPEC, MOVE, baseline, intervals, AT.plusSeconds(5L * intervals.size() + 1));
    }

    @Test
    void aGoodBuildPassesAtTheEndOfTheWindow() {
        assertThat(judge(GOOD_BASELINE, times(11, new Figures(200, 0, 45)))).isInstanceOf(Verdict.Running.class);
        assertThat(judge(GOOD_BASELINE, times(12, new Figures(200, 0, 45)))).isEqualTo(new Verdict.Passed(12, 0));
    }

    @Test
    void whileRunningItSaysWhenTheNextIntervalIsIn() {
        Verdict verdict = judge(GOOD_BASELINE, times(2, new Figures(200, 0, 45)));

        assertThat(verdict).isEqualTo(new Verdict.Running(AT.plusSeconds(16), 2, 0));
    }

    @Test
    void fivePercentErrorsFailAfterThreeIntervals() {
        Figures bad = new Figures(200, 10, 45);

        assertThat(judge(GOOD_BASELINE, times(2, bad))).isInstanceOf(Verdict.Running.class);
        Verdict verdict = judge(GOOD_BASELINE, times(3, bad));

        assertThat(verdict).isInstanceOf(Verdict.Failed.class);
        var failed = (Verdict.Failed) verdict;
        assertThat(failed.figures()).isEqualTo(new Figures(600, 30, 45));
        assertThat(failed.reason()).contains("build b failed 5.0% of its requests (30 of 600", "in 3 of 3 intervals",
                "build a before it: 0.1% of 2400 requests failed");
    }

    @Test
    void aSlowBuildFails() {
        Verdict verdict = judge(GOOD_BASELINE, times(3, new Figures(100, 0, 900)));

        assertThat(verdict).isInstanceOf(Verdict.Failed.class);
        assertThat(((Verdict.Failed) verdict).reason()).contains("p99 of 900 ms (limit 500 ms and twice build a's");
    }

    @Test
    void fewRequestsAreInconclusiveAndTheBuildIsKept() {
        Figures quietButFailing = new Figures(10, 5, 2000);

        assertThat(judge(GOOD_BASELINE, times(12, quietButFailing))).isEqualTo(new Verdict.Passed(12, 0));
    }

    @Test
    void oneErrorNeverFailsAnInterval() {
        assertThat(judge(GOOD_BASELINE, times(12, new Figures(20, 1, 40)))).isEqualTo(new Verdict.Passed(12, 0));
    }

    @Test
    void itIsJudgedAgainstThePreviousBuildsOwnFigures() {
        Figures alsoFailing = new Figures(2400, 120, 700);
        Figures asGood = new Figures(200, 11, 800);

        assertThat(judge(alsoFailing, times(12, asGood))).as("as good as the build it replaced").isEqualTo(new Verdict.Passed(12, 0));
        assertThat(judge(alsoFailing, times(3, new Figures(200, 24, 800)))).as("5 points worse")
                .isInstanceOf(Verdict.Failed.class);
        assertThat(judge(alsoFailing, times(3, new Figures(200, 0, 1500)))).as("over twice as slow")
                .isInstanceOf(Verdict.Failed.class);
    }

    @Test
    void withTooFewBaselineRequestsTheLimitsAloneJudge() {
        Figures quietBaseline = new Figures(5, 3, 2000);

        assertThat(judge(quietBaseline, times(3, new Figures(200, 10, 45)))).isInstanceOf(Verdict.Failed.class);
        assertThat(judge(quietBaseline, times(3, new Figures(200, 0, 600)))).isInstanceOf(Verdict.Failed.class);
        assertThat(judge(quietBaseline, times(12, new Figures(200, 1, 450)))).isInstanceOf(Verdict.Passed.class);
    }

    @Test
    void failedIntervalsNeedNotFollowEachOther() {
        Figures good = new Figures(200, 0, 45);
        Figures bad = new Figures(200, 10, 45);

        assertThat(judge(GOOD_BASELINE, List.of(bad, good, bad, good, bad))).isInstanceOf(Verdict.Failed.class);
    }

    @Test
    void noVerdictForARollbackOrWhenOffOrWhenLiveMovedOn() {
        var observed = new ObservedPromotion(Optional.of(MOVE), List.of(), Map.of(), Map.of(), GOOD_BASELINE, List.of());
        var off = new PromotionSpec.Analysis(false, SPEC.window(), SPEC.interval(), 0.01, Duration.ofMillis(500), 20, 3);
        var rollback = new ObservedPromotion(Optional.of(new PromotionRecord(Optional.of("b"), "a", "c0ffee", "rollback", AT)),
                List.of(), Map.of(), Map.of(), Figures.NONE, List.of());

        assertThat(Analysis.of(SPEC, observed, Optional.of("b"), AT)).containsInstanceOf(Verdict.Running.class);
        assertThat(Analysis.of(off, observed, Optional.of("b"), AT)).isEmpty();
        assertThat(Analysis.of(SPEC, observed, Optional.of("c"), AT)).isEmpty();
        assertThat(Analysis.of(SPEC, rollback, Optional.of("a"), AT)).isEmpty();
    }

    @Test
    void longAfterTheWindowNothingIsJudgedAnyMore() {
        assertThat(Analysis.judge(SPEC, MOVE, GOOD_BASELINE, List.of(), AT.plusSeconds(3600)))
                .isEqualTo(new Verdict.Passed(0, 0));
    }
}
