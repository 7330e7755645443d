package dev.regent.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.regent.uwsgi.StatsReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A canary without a reload, on the real stack: a pool of stage build b attached to live build
 * a's router (conf/uwsgi/canary.skel through the web container's canary emperor) takes a share of
 * live requests next to a's pool, and withdrawing it (removing canary.ini) under load fails
 * nothing: its in-flight requests finish, the rest go to a's pool on the same socket. The files
 * are written here by hand, as Regent would.
 */
class CanaryE2E {
    static Stack stack;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    @BeforeAll
    static void start() throws Exception {
        stack = Stack.convergedAB();
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void aCanaryPoolOnTheLiveRouterTakesItsShareAndLeavesWithoutFailingARequest() throws Exception {
        Path canaryIni = stack.root.resolve("deploy/builds/b/canary.ini");
        Path canaryStats = stack.root.resolve("deploy/run/b-canary.stats");
        var stats = new StatsReader(Duration.ofSeconds(1));
        var load = Load.start(stack.livePort, "/slow?seconds=0.02", 6, 240);

        stack.write("deploy/builds/b/canary-target.ini", "[uwsgi]\nregent_canary_of = a\nregent_canary_workers = 1\n");
        Files.createSymbolicLink(canaryIni, Path.of("../../../conf/uwsgi/canary.skel"));
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                assertThat(stats.read(canaryStats)).hasValueSatisfying(s -> assertThat(s.allAccepting()).isTrue()));

        // 1 worker of 3 on a's socket: about a third of live requests, whatever is under load.
        Map<String, Integer> served = new HashMap<>();
        for (int i = 0; i < 150; i++) {
            var r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + stack.livePort + "/slow?seconds=0.02"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding());
            assertThat(r.statusCode()).isEqualTo(200);
            served.merge(r.headers().firstValue("X-Regent-Build").orElse("-")
                    + r.headers().firstValue("X-Regent-Canary").map(of -> " canary of " + of).orElse(""), 1, Integer::sum);
        }
        assertThat(served.keySet()).containsExactlyInAnyOrder("a", "b canary of a");
        assertThat(served.get("b canary of a") * 100 / 150).as("%s", served).isBetween(10, 60);
        assertThat(stack.servedBy(stack.stagePort)).isEqualTo("b");

        // Withdrawn while it holds a request: that request finishes on b, the rest stay on a.
        List<CompletableFuture<HttpResponse<String>>> slow = IntStream.range(0, 6).mapToObj(i -> http.sendAsync(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + stack.livePort + "/slow?seconds=2"))
                        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString())).toList();
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(() -> stats.read(canaryStats)
                .map(s -> s.raw().path("workers").get(0).path("cores").get(0).path("vars").toString()
                        .contains("REQUEST_URI=/slow?seconds=2")).orElse(false));
        Files.delete(canaryIni);
        await().atMost(Duration.ofMinutes(1)).until(() -> stats.read(canaryStats).isEmpty());
        assertThat(slow.stream().map(f -> f.join().statusCode()).toList()).containsOnly(200);
        assertThat(slow.stream().map(f -> f.join().body()).filter(b -> b.contains("in build b")).count()).isPositive();
        for (int i = 0; i < 30; i++) {
            assertThat(stack.servedBy(stack.livePort)).isEqualTo("a");
        }

        var result = load.stop();
        assertThat(result.requests()).as(result.report()).isPositive();
        assertThat(result.failed()).as(result.report()).isZero();
    }
}
