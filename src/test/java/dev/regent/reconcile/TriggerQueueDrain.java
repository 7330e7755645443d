package dev.regent.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

/**
 * Lets a trigger test tell one file change from the next: one change can reach the watch as
 * several batches (a write is a truncate and a write), and a late batch of the previous change
 * must not be taken for the next one.
 */
final class TriggerQueueDrain {
    private static final Duration QUIET = Duration.ofMillis(300);

    private TriggerQueueDrain() {
    }

    /** Takes every trigger until none comes for {@link #QUIET}. */
    static void untilQuiet(TriggerQueue queue) throws InterruptedException {
        for (int i = 0; i < 50; i++) {
            if (queue.await(QUIET) == null) {
                return;
            }
        }
        assertThat(queue.await(QUIET)).as("the watch went quiet after one change").isNull();
    }
}
