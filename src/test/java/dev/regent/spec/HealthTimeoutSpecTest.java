package dev.regent.spec;

import static dev.regent.spec.SpecTexts.parse;
import static dev.regent.spec.Fixtures.errorFor;
import static dev.regent.spec.Fixtures.errorsOf;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** spec.healthTimeout: the deadline for a new pool to come up and pass its health check (default 60 s). */
class HealthTimeoutSpecTest {
    private static final String HEADER = SpecTexts.ONE_BUILD_HOST;

    @Test
    void absentMeansSixtySeconds() {
        assertThat(((LoadResult.Valid) parse(HEADER)).state().healthTimeout()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void secondsAndMinutesParse() {
        assertThat(((LoadResult.Valid) parse(HEADER + "  healthTimeout: 20s\n")).state().healthTimeout())
                .isEqualTo(Duration.ofSeconds(20));
        assertThat(((LoadResult.Valid) parse(HEADER + "  healthTimeout: 1m30s\n")).state().healthTimeout())
                .isEqualTo(Duration.ofSeconds(90));
    }

    @ParameterizedTest
    @ValueSource(strings = {"3s", "31m", "20", "fast", "-5s", "1h", "\"\""})
    void anythingElseIsRejectedWithItsLine(String value) {
        SpecError error = errorFor(errorsOf(parse(HEADER + "  healthTimeout: " + value + "\n")), "spec.healthTimeout");

        assertThat(error.line()).isEqualTo(8);
        assertThat(error.message()).contains("20s, 2m or 1m30s");
    }
}
