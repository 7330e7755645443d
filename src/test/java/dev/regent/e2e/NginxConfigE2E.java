package dev.regent.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.regent.testing.LoopbackPorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A promotion under the seed's reload strategy while nginx's config is broken: nginx -t fails, so
 * nothing is reloaded, the role does not move, the old build keeps serving and the status says
 * Degraded with nginx's own message; once the config is fixed the same desired state converges.
 */
class NginxConfigE2E {
    static Stack stack;
    static int api;
    static Path log;

    @BeforeAll
    static void converge() throws Exception {
        stack = Stack.create(Stack.desiredState("PROJECT", "    a: {ref: HEAD}\n    b: {ref: HEAD}\n", "a", "b")
                .replace("  builds:", "  strategy: reload\n  builds:"));
        stack.up();
        api = LoopbackPorts.reserve();
        log = Files.createTempFile("regent-nginx", ".log");
        stack.startLoop(log, java.util.Map.of(), "run", "--listen", "127.0.0.1:" + api, "--resync", "2");
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    private static JsonNode degraded() throws Exception {
        for (JsonNode condition : new ObjectMapper().readTree(stack.get(api, "/api/status").body()).path("conditions")) {
            if (condition.path("type").asText().equals("Degraded")) {
                return condition;
            }
        }
        throw new AssertionError("no Degraded condition in /api/status");
    }

    @Test
    void aConfigNginxRejectsHoldsThePromotionAndTheOldBuildKeepsServing() throws Exception {
        String config = "conf/nginx/nginx.conf";
        String good = stack.read(config);
        Load load = Load.start(stack.livePort, "/healthz", 8, 300);
        stack.write(config, good.replace("http {", "http {\n    this_is_not_a_directive on;"));

        stack.writeDesired(stack.desired().replace("live: a", "live: b").replace("stage: b", "stage: a"));

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            JsonNode degraded = degraded();
            assertThat(degraded.path("status").asText()).isEqualTo("True");
            assertThat(degraded.path("reason").asText()).isEqualTo("ReconcileFailed");
            assertThat(degraded.path("message").asText()).contains("unknown directive \"this_is_not_a_directive\"");
        });
        Path builds = stack.root.resolve("deploy/builds");
        assertThat(Files.readSymbolicLink(builds.resolve("_live")).toString()).as("the role did not move").isEqualTo("a");
        assertThat(Files.readSymbolicLink(builds.resolve("_stage")).toString()).isEqualTo("b");
        assertThat(stack.servedBy(stack.livePort)).isEqualTo("a");
        assertThat(stack.regent("status").output()).contains("nginx -t rejects the current config");
        await().atMost(Duration.ofSeconds(60)).alias("the loop retries and holds at each resync").until(() ->
                Files.readString(log).split("nginx -t rejects the current config", -1).length > 5);
        var held = load.stop();
        assertThat(held.requests()).isPositive();
        assertThat(held.failed()).as("while the promotion is held: " + held.report()).isZero();

        long fixed = System.nanoTime();
        stack.write(config, good);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(stack.servedBy(stack.livePort)).isEqualTo("b"));
        System.out.printf("nginx -t failing: promotion held, live kept serving a (load: %s); the fixed config promoted b "
                + "after %d ms%n", held.line(), (System.nanoTime() - fixed) / 1_000_000);
        assertThat(stack.servedBy(stack.stagePort)).isEqualTo("a");
    }
}
