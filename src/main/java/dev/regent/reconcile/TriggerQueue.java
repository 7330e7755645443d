package dev.regent.reconcile;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Payload-free triggers that coalesce: any number of {@link #fire(String)} calls while a reconcile
 * runs or waits turn into one more reconcile, never a backlog.
 */
public final class TriggerQueue {
    private final AtomicBoolean pending = new AtomicBoolean();
    private final Semaphore signal = new Semaphore(0);
    private volatile String lastReason = "start";

    public void fire(String reason) {
        lastReason = reason;
        if (pending.compareAndSet(false, true)) {
            signal.release();
        }
    }

    /** Whether a trigger is waiting: a reconcile in progress may stop early to pick it up. */
    public boolean pending() {
        return pending.get();
    }

    /** Waits for a trigger; returns its reason, or null after {@code timeout} with none. */
    public String await(Duration timeout) throws InterruptedException {
        if (!signal.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            return null;
        }
        pending.set(false);
        return lastReason;
    }
}
