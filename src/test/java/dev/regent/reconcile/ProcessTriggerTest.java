package dev.regent.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessTriggerTest {
    @TempDir
    Path root;

    @Test
    void aStatsSocketAppearingOrVanishingNudgesTheLoopWithItsOwnReasonAndOtherFilesDoNot() throws Exception {
        Path run = root.resolve("deploy/run");
        TriggerQueue queue = new TriggerQueue();
        try (var trigger = new ProcessTrigger(run, queue)) {
            Files.writeString(run.resolve("journal.jsonl"), "{}\n");
            assertThat(queue.await(Duration.ofMillis(500))).as("a journal write is not a process change").isNull();

            Files.createFile(run.resolve("a-pool.stats"));
            assertThat(queue.await(Duration.ofSeconds(10))).isEqualTo("the worker pool of build a started");
            assertThat(queue.pending()).as("a nudge does not pre-empt").isFalse();
            TriggerQueueDrain.untilQuiet(queue);

            Files.delete(run.resolve("a-pool.stats"));
            assertThat(queue.await(Duration.ofSeconds(10))).isEqualTo("the worker pool of build a stopped");
            TriggerQueueDrain.untilQuiet(queue);

            Files.createFile(run.resolve("b-vassal.stats"));
            assertThat(queue.await(Duration.ofSeconds(10))).isEqualTo("the router of build b started");
        }
    }
}
