package dev.regent.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner behind Stack's commands: its time limit holds even when the output stays open. */
class BoundedCommandTest {
    @TempDir
    Path dir;

    @Test
    void aCommandPastItsLimitIsKilledAndFailsNamingCommandAndLimit() {
        assertTimeoutPreemptively(Duration.ofSeconds(10), () ->
                assertThatThrownBy(() -> BoundedCommand.run(dir, List.of("sleep", "30"), Map.of(), Duration.ofSeconds(1)))
                        .isInstanceOf(BoundedCommand.TimedOut.class)
                        .hasMessageContaining("`sleep 30`").hasMessageContaining("within 1000 ms"));
    }

    @Test
    void aChildThatKeepsTheOutputOpenDoesNotHoldTheWaitAndIsKilledToo() throws Exception {
        Path pid = dir.resolve("child.pid");
        List<String> command = List.of("bash", "-c", "echo started; sleep 30 & echo $! > " + pid + "; wait");

        assertTimeoutPreemptively(Duration.ofSeconds(10), () ->
                assertThatThrownBy(() -> BoundedCommand.run(dir, command, Map.of(), Duration.ofSeconds(1)))
                        .isInstanceOf(BoundedCommand.TimedOut.class).hasMessageContaining("started"));
        long child = Long.parseLong(Files.readString(pid).strip());
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false)).as("the child sleep").isFalse());
    }

    @Test
    void aCommandWithinItsLimitGivesItsExitCodeAndOutput() {
        var result = BoundedCommand.run(dir, List.of("bash", "-c", "echo out; echo err >&2; exit 3"), Map.of("X", "1"),
                Duration.ofSeconds(10));

        assertThat(result.exit()).isEqualTo(3);
        assertThat(result.output()).isEqualTo("out\nerr\n");
    }
}
