package dev.regent.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.regent.traffic.LoggedRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The planner drives the canary on the real stack, under wrk load on live with `regent run` and
 * spec.promotion.canary {workers: 1}: before live moves, a pool of the new build attaches to the live
 * router and serves about its share of live (measured from nginx's traffic log: requests on the live
 * port by the build that answered). A healthy build passes and goes live failing nothing; a build that
 * fails 20% of / is withdrawn and pinned, live never moves, and the only failed requests are the ones
 * that build answered itself.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CanaryPromotionE2E {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WINDOW = Duration.ofSeconds(20);
    private static final String PROMOTION = """
              promotion:
                canary: {workers: 1}
                analysis: {window: 20s, interval: 5s, maxErrorRate: 1%, maxP99: 1000ms, minRequests: 10, failureLimit: 3}
            """;
    static Stack stack;
    static Path log;
    static String badCommit;

    @BeforeAll
    static void converge() throws Exception {
        stack = Stack.create(desired("    a: {ref: HEAD}\n    b: {ref: HEAD}\n", "a", "b"));
        stack.up();
        String views = stack.read(SampleViews.PATH);
        stack.write(SampleViews.PATH, SampleViews.indexFailing(views, 20));
        badCommit = stack.commitAll("index fails 20% of requests");
        stack.write(SampleViews.PATH, views);
        stack.commitAll("index as it was");
        log = Files.createTempFile("regent-canary", ".log");
        stack.startLoop(log, Map.of(), "run");
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    private static String desired(String builds, String live, String stage) {
        return Stack.desiredState("PROJECT", builds, live, stage) + PROMOTION;
    }

    @Test
    @Order(1)
    void aHealthyBuildsCanaryTakesItsShareOfLiveThenTheBuildGoesLiveFailingNothing() throws Exception {
        Load index = Load.start(stack.livePort, "/", 4, 600);
        Load.Result result;
        JsonNode canary;
        Set<String> servedLive = new HashSet<>();
        try {
            stack.writeDesired(desired("    a: {ref: HEAD}\n    b: {ref: HEAD}\n    c: {ref: HEAD}\n", "c", "a")
                    .replace("PROJECT", stack.project));
            canary = awaitCanaryOf("c");
            assertThat(stack.promotions().last().map(p -> p.get("to").asText())).as("live has not moved").isNotEqualTo(Optional.of("c"));
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                servedLive.add(stack.servedBy(stack.livePort));
                assertThat(stack.promotions().last().map(p -> p.get("to").asText())).contains("c");
            });
            await().atMost(Duration.ofSeconds(10)).until(() -> stack.servedBy(stack.livePort).equals("c"));
        } finally {
            result = index.stop();
        }
        Instant at = Instant.parse(canary.get("at").asText());
        Map<String, long[]> live = liveRequests(at.plusSeconds(1), at.plus(WINDOW));
        double share = share(live, "c");
        Instant moved = Instant.parse(stack.promotions().last().orElseThrow().get("at").asText());
        System.out.printf("healthy canary: c served %d of %d requests on the live port in its window (%.1f%%, 1 worker"
                        + " next to a's 2); live moved to c %d ms after the canary attached; load on /: %s%n",
                live.getOrDefault("c", new long[2])[0], total(live), share * 100, Duration.between(at, moved).toMillis(),
                result.line());
        assertThat(share).as("the canary's share of live, by build: %s", counts(live)).isBetween(0.10, 0.60);
        assertThat(result.requests()).as(result.report()).isPositive();
        assertThat(result.failed()).as(result.report()).isZero();
        assertThat(Duration.between(at, moved)).as("promoted after the window, not before").isGreaterThanOrEqualTo(WINDOW);
        assertThat(servedLive).as("answers on live while the canary ran").contains("a", "c");
    }

    @Test
    @Order(2)
    void aBadBuildsCanaryIsWithdrawnAndPinnedAndLiveNeverMoves() throws Exception {
        Instant start = Instant.now();
        Load index = Load.start(stack.livePort, "/", 4, 600);
        Load health = Load.start(stack.livePort, "/healthz", 2, 600);
        Load.Result indexResult;
        Load.Result healthResult;
        JsonNode canary;
        Set<String> servedLive = new HashSet<>();
        try {
            stack.writeDesired(desired("    a: {ref: HEAD}\n    b: {ref: HEAD}\n    c: {ref: HEAD}\n    d: {ref: "
                    + badCommit + "}\n", "d", "c").replace("PROJECT", stack.project));
            canary = awaitCanaryOf("d");
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                servedLive.add(stack.get(stack.livePort, "/healthz").build());
                assertThat(stack.promotions().pin("d")).isPresent();
            });
            await().atMost(Duration.ofSeconds(30)).until(() -> !Files.exists(stack.root.resolve("deploy/builds/d/canary.ini"))
                    && !Files.exists(stack.root.resolve("deploy/run/canary.json")));
            for (int i = 0; i < 30; i++) {
                assertThat(stack.get(stack.livePort, "/healthz").build()).as("live after the withdrawal").isEqualTo("c");
            }
        } finally {
            indexResult = index.stop();
            healthResult = health.stop();
        }
        Instant at = Instant.parse(canary.get("at").asText());
        JsonNode pin = stack.promotions().pin("d").orElseThrow();
        Instant pinned = Instant.parse(pin.get("at").asText());
        Map<String, long[]> live = liveRequests(at.plusSeconds(1), pinned);
        Map<String, long[]> wholeRun = liveRequests(start, Instant.now());
        long failedByD = wholeRun.getOrDefault("d", new long[2])[1];
        System.out.printf("bad canary: d served %d of %d requests on the live port while judged (%.1f%%), %d of them"
                        + " failed; pinned %d ms after it attached; over the whole run nginx logged %d failed by d, %d by"
                        + " c; wrk on /: %s; on /healthz: %s; pin: %s%n",
                live.getOrDefault("d", new long[2])[0], total(live), share(live, "d") * 100,
                live.getOrDefault("d", new long[2])[1], Duration.between(at, pinned).toMillis(), failedByD,
                wholeRun.getOrDefault("c", new long[2])[1], indexResult.line(), healthResult.line(), pin.get("reason").asText());

        assertThat(stack.promotions().last().map(p -> p.get("to").asText())).as("live never moved").contains("c");
        assertThat(stack.promotions().last().map(p -> p.get("trigger").asText())).as("no rollback either").isNotEqualTo(Optional.of("rollback"));
        assertThat(servedLive).as("live answered only by c and d's canary").isSubsetOf("c", "d");
        assertThat(pin.get("from").asText()).isEqualTo("c");
        assertThat(pin.get("reason").asText()).startsWith("its canary on build c's router failed its analysis: build d failed");
        assertThat(pin.at("/figures/errors").asLong()).as("counted in the pin").isPositive();
        assertThat(stack.regent("status").output()).contains("live held at c: revision file:")
                .contains("was rolled back because its canary on build c's router failed");
        assertThat(healthResult.failed()).as("/healthz, which d answers too: " + healthResult.line()).isZero();
        // Answers only: a request wrk gave up on after its 5 s timeout under load is later logged by nginx as
        // answered, by whichever build, so wrk's timeouts cannot be matched against nginx's per-build log.
        assertThat(indexResult.failedAnswers()).as("wrk's failed answers on /: " + indexResult.report()).isPositive()
                .isLessThanOrEqualTo(failedByD);
        assertThat(wholeRun.getOrDefault("c", new long[2])[1]).as("failed by c").isZero();
        assertThat(wholeRun.keySet()).as("builds that answered on the live port").containsOnly("c", "d");
    }

    /** Waits until the planner attached a canary of {@code build} and recorded it; returns the record. */
    private static JsonNode awaitCanaryOf(String build) {
        Path record = stack.root.resolve("deploy/run/canary.json");
        await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(200)).until(() -> {
            try {
                return JSON.readTree(record.toFile()).get("build").asText().equals(build);
            } catch (IOException | RuntimeException e) {
                return false;
            }
        });
        try {
            return JSON.readTree(record.toFile());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Per build: {requests, 5xx} nginx logged on the live port (8080 in the container) ending in [from, to). */
    private static Map<String, long[]> liveRequests(Instant from, Instant to) throws IOException {
        Map<String, long[]> counts = new TreeMap<>();
        // nginx writes its traffic log in buffers flushed every second.
        await().atMost(Duration.ofSeconds(10)).until(() -> Instant.now().isAfter(to.plusSeconds(2)));
        for (String line : Files.readAllLines(stack.root.resolve("deploy/run/traffic/access.log"))) {
            Optional<LoggedRequest> request = LoggedRequest.parse(line);
            if (request.isEmpty() || request.get().port() != 8080 || request.get().endedMillis() < from.toEpochMilli()
                    || request.get().endedMillis() >= to.toEpochMilli()) {
                continue;
            }
            long[] c = counts.computeIfAbsent(request.get().build(), b -> new long[2]);
            c[0]++;
            if (request.get().failed()) {
                c[1]++;
            }
        }
        return counts;
    }

    private static long total(Map<String, long[]> counts) {
        return counts.values().stream().mapToLong(c -> c[0]).sum();
    }

    private static double share(Map<String, long[]> counts, String build) {
        long total = total(counts);
        return total == 0 ? 0 : (double) counts.getOrDefault(build, new long[2])[0] / total;
    }

    private static String counts(Map<String, long[]> counts) {
        var out = new TreeMap<String, List<Long>>();
        counts.forEach((b, c) -> out.put(b, List.of(c[0], c[1])));
        return out.toString();
    }
}
