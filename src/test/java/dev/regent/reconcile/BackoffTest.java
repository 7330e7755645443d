package dev.regent.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void doublesFromTwoSecondsUpToAMinuteAndStartsOverAfterAReset() {
        var backoff = new Backoff();
        List<Long> seconds = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            seconds.add(backoff.failed().toSeconds());
        }

        assertThat(seconds).containsExactly(2L, 4L, 8L, 16L, 32L, 60L, 60L, 60L);
        backoff.reset();
        assertThat(backoff.failed()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void neverOverflowsAfterManyFailures() {
        var backoff = new Backoff();
        for (int i = 0; i < 10_000; i++) {
            backoff.failed();
        }

        assertThat(backoff.failed()).isEqualTo(Duration.ofSeconds(60));
    }
}
