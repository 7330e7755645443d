package dev.regent.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTriggerTest {
    @TempDir
    Path folder;

    @Test
    void anEditOrARenameOverTheFilePreemptsAndOtherFilesDoNot() throws Exception {
        Path file = folder.resolve("desired-state.yaml");
        Files.writeString(file, "v1");
        TriggerQueue queue = new TriggerQueue();
        try (var trigger = new FileTrigger(file, queue)) {
            Files.writeString(folder.resolve("README.md"), "other");
            assertThat(queue.await(Duration.ofMillis(500))).as("another file in the folder").isNull();

            Files.writeString(file, "v2");
            assertThat(queue.await(Duration.ofSeconds(10))).as("an edit in place").isEqualTo("desired-state.yaml changed");
            TriggerQueueDrain.untilQuiet(queue);

            Path next = folder.resolve(".desired-state.yaml.next");
            Files.writeString(next, "v3");
            assertThat(queue.await(Duration.ofMillis(500))).as("writing the editor's temporary file").isNull();
            Files.move(next, file, StandardCopyOption.ATOMIC_MOVE);
            assertThat(queue.await(Duration.ofSeconds(10))).as("a rename over the file").isEqualTo("desired-state.yaml changed");
        }
    }
}
