package dev.regent.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.regent.testing.LoopbackPorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Per-build figures from real traffic: requests sent to live (a) and stage (b) through the real
 * nginx show in /api/traffic and /metrics per build within seconds, 500s as errors and 404s not,
 * and exactly so across rotations of the log (a small bound makes several), which reopen nginx's
 * logs without a reload.
 */
class TrafficE2E {
    static Stack stack;
    static int api;
    static Path log;

    @BeforeAll
    static void converge() throws Exception {
        stack = Stack.convergedAB();
        api = LoopbackPorts.reserve();
        log = Files.createTempFile("regent-traffic", ".log");
        stack.startLoop(log, Map.of("REGENT_TRAFFIC_ROTATE_BYTES", "1500"), "run", "--listen", "127.0.0.1:" + api);
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void requestsAreCountedPerBuildWithTheirErrorsAcrossRotations() throws Exception {
        long reloadsBefore = nginxLog("reconfiguring");
        for (int i = 0; i < 30; i++) {
            assertThat(stack.get(stack.livePort, "/fail?rate=1.0").status()).isEqualTo(500);
        }
        for (int i = 0; i < 20; i++) {
            assertThat(stack.get(stack.livePort, "/no-such-page").status()).isEqualTo(404);
        }
        for (int i = 0; i < 50; i++) {
            assertThat(stack.get(stack.livePort, "/healthz").status()).isEqualTo(200);
        }
        for (int i = 0; i < 10; i++) {
            assertThat(stack.get(stack.stagePort, "/fail?rate=1.0").status()).isEqualTo(500);
        }
        assertThat(stack.get(stack.livePort, "/fail?rate=0").status()).isEqualTo(200);
        long sent = System.nanoTime();

        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            String metrics = stack.get(api, "/metrics").body();
            assertThat(counter(metrics, "a", "5xx")).isEqualTo(30);
            assertThat(counter(metrics, "a", "4xx")).isEqualTo(20);
            assertThat(counter(metrics, "a", "2xx")).as("51 and Regent's own probes of live").isGreaterThanOrEqualTo(51);
            assertThat(counter(metrics, "b", "5xx")).isEqualTo(10);
        });
        System.out.printf("traffic: counted in /metrics %.1f s after the last request%n", (System.nanoTime() - sent) / 1e9);

        // A step of /api/traffic is exact once complete: count = rps x 5, errors = count x errorRate.
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            JsonNode traffic = new ObjectMapper().readTree(stack.get(api, "/api/traffic?minutes=15").body());
            String metrics = stack.get(api, "/metrics").body();
            assertThat(traffic.path("step").asInt()).isEqualTo(5);
            long now = System.currentTimeMillis() / 1000;
            long[] a = totals(traffic.path("builds").path("a"), now);
            long[] b = totals(traffic.path("builds").path("b"), now);
            assertThat(a[1]).as("a's errors").isEqualTo(30);
            assertThat(b[1]).as("b's errors").isEqualTo(10);
            assertThat(a[0]).as("a's requests, as /metrics counts them")
                    .isEqualTo(counter(metrics, "a", "2xx") + counter(metrics, "a", "4xx") + 30);
            assertThat(a[2]).as("a's steps with a p99").isPositive();
        });

        Path traffic = stack.root.resolve("deploy/run/traffic");
        assertThat(traffic.resolve("access.log.1")).as("rotated at 1500 bytes").exists();
        assertThat(Files.size(traffic.resolve("access.log"))).isLessThan(3000);
        assertThat(nginxLog("reopening logs")).as("nginx reopened its logs").isPositive();
        assertThat(nginxLog("reconfiguring")).as("a reopen is no reload").isEqualTo(reloadsBefore);
        assertThat(Files.readString(log)).doesNotContain("traffic log:");
    }

    /** Requests, errors and steps with a p99 over a build's complete steps. */
    private static long[] totals(JsonNode points, long now) {
        long requests = 0;
        long errors = 0;
        long withP99 = 0;
        for (JsonNode point : points) {
            if (point.path("t").asLong() + 5 > now) {
                continue;
            }
            long count = Math.round(point.path("rps").asDouble() * 5);
            requests += count;
            errors += Math.round(count * point.path("errorRate").asDouble());
            withP99 += point.path("p99").asDouble() > 0 ? 1 : 0;
        }
        return new long[] {requests, errors, withP99};
    }

    private static long counter(String metrics, String build, String code) {
        Matcher m = Pattern.compile("regent_http_requests_total\\{build=\"" + build + "\",code=\"" + code + "\"} (\\S+)")
                .matcher(metrics);
        return m.find() ? Math.round(Double.parseDouble(m.group(1))) : 0;
    }

    private static long nginxLog(String text) {
        return stack.compose("logs", "--no-color", "nginx").output().lines().filter(l -> l.contains(text)).count();
    }
}
