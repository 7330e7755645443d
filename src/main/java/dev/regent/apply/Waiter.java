package dev.regent.apply;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * Polls a condition until it holds or a deadline passes. The pause between polls is short and
 * only paces the polling; what ends the wait is always the observed condition or the deadline.
 */
public final class Waiter {
    private final Clock clock;
    private final Duration pollEvery;

    public Waiter(Clock clock, Duration pollEvery) {
        this.clock = clock;
        this.pollEvery = pollEvery;
    }

    public boolean until(Duration timeout, Supplier<Boolean> condition) {
        Instant deadline = clock.instant().plus(timeout);
        while (true) {
            if (condition.get()) {
                return true;
            }
            if (!clock.instant().isBefore(deadline)) {
                return false;
            }
            try {
                Thread.sleep(pollEvery.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }
}
