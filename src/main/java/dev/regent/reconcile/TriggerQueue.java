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
    private final AtomicBoolean preempting = new AtomicBoolean();
    private final Semaphore signal = new Semaphore(0);
    private volatile String lastReason = "start";

    /** Asks for a reconcile that pre-empts one in progress at its next action boundary. */
    public void fire(String reason) {
        preempting.set(true);
        wake(reason);
    }

    /**
     * Asks for one more reconcile without pre-empting: for changes on the host, which the running
     * reconcile's own actions also cause, so pre-empting on them would cut every reconcile short.
     */
    public void nudge(String reason) {
        wake(reason);
    }

    private void wake(String reason) {
        lastReason = reason;
        if (pending.compareAndSet(false, true)) {
            signal.release();
        }
    }

    /** Whether a pre-empting trigger is waiting: a reconcile in progress may stop early to pick it up. */
    public boolean pending() {
        return preempting.get();
    }

    /** Waits for a trigger; returns its reason, or null after {@code timeout} with none. */
    public String await(Duration timeout) throws InterruptedException {
        if (!signal.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            return null;
        }
        pending.set(false);
        preempting.set(false);
        return lastReason;
    }
}
