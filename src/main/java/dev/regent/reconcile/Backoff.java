package dev.regent.reconcile;

import java.time.Duration;

/** Delays between retries of a failing loop: 2, 4, 8, 16, 32, then 60 s, until a pass needs no retry. */
public final class Backoff {
    static final Duration FIRST = Duration.ofSeconds(2);
    static final Duration MAX = Duration.ofSeconds(60);
    private int failures;

    /** Counts one more failure in a row; returns how long to wait before the next try. */
    public Duration failed() {
        Duration delay = FIRST.multipliedBy(1L << Math.min(failures, 5));
        failures++;
        return delay.compareTo(MAX) > 0 ? MAX : delay;
    }

    public void reset() {
        failures = 0;
    }
}
