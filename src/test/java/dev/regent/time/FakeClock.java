package dev.regent.time;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock that moves only when told to, and a {@link Sleeper} that moves it instead of sleeping. */
public final class FakeClock extends Clock {
    private final Instant start;
    private volatile Instant now;

    public FakeClock(Instant start) {
        this.start = start;
        this.now = start;
    }

    public FakeClock() {
        this(Instant.parse("2024-01-01T00:00:00Z"));
    }

    public synchronized void advance(Duration duration) {
        now = now.plus(duration);
    }

    /** How far the clock has moved since it was made. */
    public Duration elapsed() {
        return Duration.between(start, now);
    }

    /** What a test does after each fake sleep: its hook into the code that waits. */
    @FunctionalInterface
    public interface AfterSleep {
        void run() throws Exception;
    }

    /** Sleeps by advancing this clock, then runs {@code afterEachSleep}. */
    public Sleeper sleeper(AfterSleep afterEachSleep) {
        return duration -> {
            advance(duration);
            try {
                afterEachSleep.run();
            } catch (InterruptedException | RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
    }

    public Sleeper sleeper() {
        return sleeper(() -> { });
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("a fake clock stays in UTC");
    }
}
