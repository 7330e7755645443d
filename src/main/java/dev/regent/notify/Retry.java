package dev.regent.notify;

import java.time.Duration;

/**
 * How a notice is retried: {@code first}, doubling up to {@code max} between attempts, at most
 * {@code attempts} in all; each attempt (connect and answer) bounded by {@code timeout}.
 */
public record Retry(Duration first, Duration max, int attempts, Duration timeout) {
    /** 2 s, 4 s, ... 5 min apart, 12 attempts (about 25 minutes), 10 s each. */
    public static final Retry DEFAULT = new Retry(Duration.ofSeconds(2), Duration.ofMinutes(5), 12, Duration.ofSeconds(10));

    /** The wait after the {@code failures}-th failed attempt (1-based). */
    public Duration delayAfter(int failures) {
        Duration delay = first.multipliedBy(1L << Math.min(Math.max(failures - 1, 0), 30));
        return delay.compareTo(max) > 0 || delay.isNegative() ? max : delay;
    }
}
