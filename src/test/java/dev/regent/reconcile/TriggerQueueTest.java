package dev.regent.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TriggerQueueTest {
    private static final Duration SHORT = Duration.ofMillis(100);

    @Test
    void manyFiresCoalesceIntoOneAwait() throws Exception {
        TriggerQueue queue = new TriggerQueue();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        CountDownLatch go = new CountDownLatch(1);
        try {
            for (int t = 0; t < 4; t++) {
                int thread = t;
                pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < 250; i++) {
                        queue.fire("file change " + thread + "/" + i);
                    }
                    return null;
                });
            }
            go.countDown();
            pool.shutdown();
            assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            pool.shutdownNow();
        }

        assertThat(queue.await(Duration.ofSeconds(5))).startsWith("file change ");
        assertThat(queue.await(SHORT)).as("a thousand fires make one reconcile, not a backlog").isNull();
    }

    @Test
    void awaitReturnsTheLatestReason() throws InterruptedException {
        TriggerQueue queue = new TriggerQueue();
        queue.fire("resync");
        queue.fire("desired-state.yaml changed");

        assertThat(queue.await(Duration.ofSeconds(5))).isEqualTo("desired-state.yaml changed");
    }

    @Test
    void awaitTimesOutToNullWithNoFire() throws InterruptedException {
        TriggerQueue queue = new TriggerQueue();
        long start = System.nanoTime();

        assertThat(queue.await(SHORT)).isNull();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(90));
    }

    @Test
    void aFireAfterAnAwaitIsNotLost() throws Exception {
        TriggerQueue queue = new TriggerQueue();
        queue.fire("first");
        assertThat(queue.await(Duration.ofSeconds(5))).isEqualTo("first");

        queue.fire("second");

        assertThat(queue.await(Duration.ofSeconds(5))).isEqualTo("second");
        assertThat(queue.await(SHORT)).isNull();
    }

    @Test
    void aFireWakesAWaitingThread() throws Exception {
        TriggerQueue queue = new TriggerQueue();
        CompletableFuture<String> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return queue.await(Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });

        queue.fire("wake");

        assertThat(waiting.get(10, TimeUnit.SECONDS)).isEqualTo("wake");
    }

    @Test
    void aNudgeWakesTheLoopButDoesNotPreemptAReconcile() throws Exception {
        TriggerQueue queue = new TriggerQueue();

        queue.nudge("the worker pool of build a started");

        assertThat(queue.pending()).as("host changes do not cut a reconcile short").isFalse();
        assertThat(queue.await(Duration.ofSeconds(5))).isEqualTo("the worker pool of build a started");
        queue.nudge("host");
        queue.fire("desired-state.yaml changed");
        assertThat(queue.pending()).isTrue();
        assertThat(queue.await(Duration.ofSeconds(5))).isEqualTo("desired-state.yaml changed");
        assertThat(queue.pending()).isFalse();
        assertThat(queue.await(SHORT)).isNull();
    }
}
