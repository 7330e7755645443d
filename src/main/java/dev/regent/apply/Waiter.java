package dev.regent.apply;

import dev.regent.time.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * Polls a condition until it holds or a deadline passes. The pause between polls is short and
 * only paces the polling; what ends the wait is always the observed condition or the deadline.
 * The last pause ends at the deadline, so the condition gets its last look then, not a poll later.
 */
public final class Waiter {
    private final Clock clock;
    private final Sleeper sleeper;
    private final Duration pollEvery;

    public Waiter(Clock clock, Sleeper sleeper, Duration pollEvery) {
        this.clock = clock;
        this.sleeper = sleeper;
        this.pollEvery = pollEvery;
    }

    /** True as soon as the condition holds; false once the deadline has passed or the thread is interrupted. */
    public boolean until(Duration timeout, Supplier<Boolean> condition) {
        Instant deadline = clock.instant().plus(timeout);
        while (true) {
            if (condition.get()) {
                return true;
            }
            Duration left = Duration.between(clock.instant(), deadline);
            if (left.isZero() || left.isNegative()) {
                return false;
            }
            try {
                sleeper.sleep(left.compareTo(pollEvery) < 0 ? left : pollEvery);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }
}
