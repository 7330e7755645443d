package dev.regent.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.regent.fs.HostFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;

/**
 * The compose service {@code regent} (`regent run` in its container, the project folder mounted at
 * /code) while target/regent.jar is rebuilt in place under it, as `mvn package` does when
 * bin/regent finds a source newer than the jar: the operator goes on answering and acting, in the
 * same JVM (no restart of its container hides a broken one).
 */
class JarRebuildE2E {

    @Test
    void theOperatorServiceKeepsServingAndActingWhileItsJarIsRebuiltInPlace() throws Exception {
        try (Stack stack = Stack.convergedAB()) {
            try {
                rebuildUnderTheOperator(stack);
            } catch (AssertionError | RuntimeException e) {
                System.out.println("logs of the regent service:\n" + stack.compose("logs", "--no-color", "regent").output());
                throw e;
            }
        }
    }

    private static void rebuildUnderTheOperator(Stack stack) throws Exception {
        Path jar = stack.root.resolve("target/regent.jar");
        Files.createDirectories(jar.getParent());
        Files.copy(Stack.JAR, jar);
        stack.compose("up", "-d", "regent");
        int api = Integer.parseInt(stack.compose("port", "regent", "9090").output().strip().replaceAll(".*:", ""));
        Path lastReconcile = stack.root.resolve("deploy/run/last-reconcile.json");
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            assertThat(stack.get(api, "/healthz").status()).isEqualTo(200);
            assertThat(Files.exists(lastReconcile) ? HostFiles.JSON.readTree(lastReconcile.toFile()).path("outcome").asText() : "")
                    .isEqualTo("Converged");
        });
        String container = container(stack);

        Object inode = Files.getAttribute(jar, "unix:ino");
        Files.write(jar, rebuilt(jar));
        assertThat(Files.getAttribute(jar, "unix:ino")).as("rewritten in place, not replaced").isEqualTo(inode);

        var status = stack.get(api, "/api/status");
        assertThat(status.status()).as(status.body()).isEqualTo(200);
        assertThat(status.body()).contains("\"type\" : \"Ready\"", "\"desiredLive\" : \"a\"");
        var metrics = stack.get(api, "/metrics");
        assertThat(metrics.status()).as(metrics.body()).isEqualTo(200);
        assertThat(metrics.body()).contains("regent_reconciles_total");

        stack.writeDesired(Stack.desiredState(stack.project, "    a: {ref: HEAD}\n    b: {ref: HEAD}\n", "b", "a"));
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            assertThat(stack.servedBy(stack.livePort)).isEqualTo("b");
            assertThat(stack.servedBy(stack.stagePort)).isEqualTo("a");
        });
        assertThat(stack.get(api, "/api/status").body()).contains("\"desiredLive\" : \"b\"");
        assertThat(container(stack)).as("the same container, never restarted").isEqualTo(container);
        assertThat(stack.compose("logs", "--no-color", "regent").output())
                .doesNotContain("NoClassDefFoundError", "ZipException", "Exception in thread");
    }

    /** The container's id, start time and restart count. */
    private static String container(Stack stack) {
        String id = stack.compose("ps", "-q", "regent").output().strip();
        return stack.run(List.of("docker", "inspect", "-f", "{{.Id}} {{.State.StartedAt}} {{.RestartCount}}", id),
                Duration.ofSeconds(30)).output().strip();
    }

    /**
     * The same classes in another jar, as a rebuild makes: entries in another order and with new
     * times, so every entry sits at another offset than the running JVM read from the old file.
     */
    private static byte[] rebuilt(Path jar) throws IOException {
        var bytes = new ByteArrayOutputStream();
        try (var in = new ZipFile(jar.toFile()); var out = new ZipOutputStream(bytes)) {
            List<? extends ZipEntry> entries = new ArrayList<>(Collections.list(in.entries()));
            Collections.reverse(entries.subList(2, entries.size())); // META-INF/ and the manifest stay first
            FileTime now = FileTime.from(Instant.now());
            for (ZipEntry entry : entries) {
                var copy = new ZipEntry(entry.getName());
                copy.setLastModifiedTime(now);
                out.putNextEntry(copy);
                try (var data = in.getInputStream(entry)) {
                    data.transferTo(out);
                }
                out.closeEntry();
            }
        }
        return bytes.toByteArray();
    }
}
