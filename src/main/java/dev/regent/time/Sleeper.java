package dev.regent.time;

import java.time.Duration;

/**
 * Pauses the calling thread. Injected beside the {@link java.time.Clock}, so that code which waits
 * for a deadline is tested with a fake that moves a test clock on instead of passing real time.
 */
@FunctionalInterface
public interface Sleeper {
    /** Returns after {@code duration}, or throws when the thread is interrupted first. */
    void sleep(Duration duration) throws InterruptedException;

    /** The real thing: blocks the thread. */
    static Sleeper real() {
        return duration -> Thread.sleep(duration.toMillis());
    }
}
