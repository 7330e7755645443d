package dev.regent.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * Stops this machine's Docker engine (every container stops with it) and starts it again, as
 * bin/setup-host starts it; containers with a restart policy come back with the engine.
 */
final class DockerEngine {
    private DockerEngine() {
    }

    static void restart() throws IOException, InterruptedException {
        assertThat(run("pkill", "-TERM", "-x", "dockerd")).as("a dockerd to stop").isZero();
        await().atMost(Duration.ofMinutes(1)).until(() -> run("pgrep", "-x", "dockerd") != 0);
        assertThat(run("bash", "-c", "setsid nohup dockerd >>/var/log/dockerd.log 2>&1 < /dev/null &")).isZero();
        await().atMost(Duration.ofMinutes(1)).until(() -> run("docker", "info") == 0);
    }

    private static int run(String... command) throws IOException, InterruptedException {
        return new ProcessBuilder(List.of(command)).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start().waitFor();
    }
}
