package dev.regent.spec;

import static dev.regent.spec.Fixtures.errorFor;
import static dev.regent.spec.Fixtures.errorsOf;
import static dev.regent.spec.SpecTexts.parse;
import static dev.regent.spec.SpecTexts.valid;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** spec.promotion: read into a PromotionSpec, on by default, every rejected value named by field and line. */
class PromotionSpecTest {
    private static final String HEADER = SpecTexts.ONE_BUILD_HOST + "  promotion:\n";

    private static List<SpecError> errors(String promotion) {
        return errorsOf(parse(HEADER + promotion));
    }

    @Test
    void everyFieldIsRead() {
        DesiredState state = valid(HEADER + """
                    analysis:
                      window: 2m
                      interval: 10s
                      maxErrorRate: 2.5%
                      maxP99: 750ms
                      minRequests: 50
                      failureLimit: 4
                    smoke: {paths: [/healthz, "/api/items?limit=1"], requests: 5}
                    requireApproval: true
                    canary: {workers: 2}
                """);

        assertThat(state.promotion()).isEqualTo(new PromotionSpec(
                new PromotionSpec.Analysis(true, Duration.ofMinutes(2), Duration.ofSeconds(10), 0.025,
                        Duration.ofMillis(750), 50, 4),
                Optional.of(new PromotionSpec.Smoke(List.of("/healthz", "/api/items?limit=1"), 5)), true,
                Optional.of(new PromotionSpec.Canary(2))));
        assertThat(state.lineOf("spec.promotion.analysis.failureLimit")).isEqualTo(15);
    }

    @Test
    void absentOrEmptyMeansTheConservativeDefaults() {
        String without = HEADER.replace("  promotion:\n", "");
        assertThat(valid(without).promotion()).isEqualTo(PromotionSpec.DEFAULT);
        assertThat(valid(HEADER).promotion()).isEqualTo(PromotionSpec.DEFAULT);
        assertThat(valid(without + "  promotion: {}\n").promotion()).isEqualTo(PromotionSpec.DEFAULT);
        assertThat(valid(without + "  promotion: {analysis: true}\n").promotion()).isEqualTo(PromotionSpec.DEFAULT);
        assertThat(PromotionSpec.DEFAULT.analysis().enabled()).isTrue();
    }

    @Test
    void analysisCanBeTurnedOff() {
        for (String off : List.of("false", "off", "{enabled: false}")) {
            PromotionSpec spec = valid(HEADER + "    analysis: " + off + "\n").promotion();
            assertThat(spec.analysis().enabled()).as(off).isFalse();
        }
    }

    @Test
    void theErrorRateIsAPercentageOrAFraction() {
        for (var c : List.of(List.of("1%", 0.01), List.of("0.5%", 0.005), List.of("0.01", 0.01), List.of("0", 0.0),
                List.of("100%", 1.0), List.of("1", 1.0))) {
            PromotionSpec spec = valid(HEADER + "    analysis: {maxErrorRate: \"" + c.get(0) + "\"}\n").promotion();
            assertThat(spec.analysis().maxErrorRate()).as("%s", c.get(0)).isEqualTo((double) c.get(1));
        }
    }

    @Test
    void badValuesAreRejectedAtTheirLine() {
        for (var c : List.of(
                List.of("analysis: {window: 5s}", "spec.promotion.analysis.window", "between 10 s and 1 h"),
                List.of("analysis: {window: 2h}", "spec.promotion.analysis.window", "between 10 s and 1 h"),
                List.of("analysis: {window: soon}", "spec.promotion.analysis.window", "must look like"),
                List.of("analysis: {interval: 500ms}", "spec.promotion.analysis.interval", "between 1 s and 5 min"),
                List.of("analysis: {maxErrorRate: 150%}", "spec.promotion.analysis.maxErrorRate", "percentage"),
                List.of("analysis: {maxErrorRate: 1.5}", "spec.promotion.analysis.maxErrorRate", "fraction from 0 to 1"),
                List.of("analysis: {maxErrorRate: -1%}", "spec.promotion.analysis.maxErrorRate", "percentage"),
                List.of("analysis: {maxP99: 0ms}", "spec.promotion.analysis.maxP99", "between 1 ms and 1 min"),
                List.of("analysis: {minRequests: 0}", "spec.promotion.analysis.minRequests", "from 1 to"),
                List.of("analysis: {failureLimit: two}", "spec.promotion.analysis.failureLimit", "whole number"),
                List.of("analysis: {window: 20s, interval: 30s}", "spec.promotion.analysis.interval", "not be longer than window"),
                List.of("analysis: {window: 20s, interval: 5s, failureLimit: 5}", "spec.promotion.analysis.failureLimit",
                        "only 4 intervals"),
                List.of("analysis: {enabled: yes}", "spec.promotion.analysis.enabled", "true or false"),
                List.of("analysis: maybe", "spec.promotion.analysis", "true or false"),
                List.of("analysis: {windw: 20s}", "spec.promotion.analysis.windw", "unknown"),
                List.of("smoke: {paths: [healthz]}", "spec.promotion.smoke.paths[0]", "must start with /"),
                List.of("smoke: {paths: [\"/a b\"]}", "spec.promotion.smoke.paths[0]", "must start with /"),
                List.of("smoke: {paths: []}", "spec.promotion.smoke.paths", "1 to 20 paths"),
                List.of("smoke: {requests: 3}", "spec.promotion.smoke", "missing required field \"paths\""),
                List.of("smoke: {paths: [/], requests: 101}", "spec.promotion.smoke.requests", "from 1 to 100"),
                List.of("requireApproval: yes", "spec.promotion.requireApproval", "true or false"),
                List.of("canary: {workers: 0}", "spec.promotion.canary.workers", "from 1 to 64"),
                List.of("canary: {}", "spec.promotion.canary", "missing required field \"workers\""),
                List.of("rollback: true", "spec.promotion.rollback", "unknown"))) {
            List<SpecError> errors = errors("    " + c.get(0) + "\n");

            SpecError error = errorFor(errors, c.get(1));
            assertThat(error.line()).as(c.get(0)).isEqualTo(9);
            assertThat(error.message()).as(c.get(0)).contains(c.get(2));
        }
    }

    @Test
    void aProblemInANestedBlockNamesItsOwnLine() {
        List<SpecError> errors = errors("""
                    analysis:
                      window: 60s
                      maxP99: fast
                """);

        assertThat(errorFor(errors, "spec.promotion.analysis.maxP99").line()).isEqualTo(11);
    }
}
