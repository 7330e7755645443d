package dev.regent.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.regent.testing.LoopbackPorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The promotion safety net on the real stack, under wrk load on live with `regent run`: a build that
 * answers its health check but fails 5% of requests, and one that is slow, are made live and swapped
 * back by themselves within interval x failureLimit + 5 s; the swap back fails no request (a second
 * load on /healthz, which every build answers, counts none failed); the bad build's failed requests
 * are counted in the pin and shown by `regent status`. A healthy build passes its analysis and stays.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PromotionGuardE2E {
    private static final Duration INTERVAL = Duration.ofSeconds(5);
    private static final int FAILURE_LIMIT = 3;
    /** interval x failureLimit + 5 s, from the move to live being back. */
    private static final Duration DEADLINE = INTERVAL.multipliedBy(FAILURE_LIMIT).plusSeconds(5);
    private static final String PROMOTION = """
              promotion:
                analysis: {window: 30s, interval: 5s, maxErrorRate: 1%, maxP99: 500ms, minRequests: 10, failureLimit: 3}
            """;
    static Stack stack;
    static int api;
    static Path log;
    static String badCommit;
    static String slowCommit;

    @BeforeAll
    static void converge() throws Exception {
        stack = Stack.create(desired("    a: {ref: HEAD}\n    b: {ref: HEAD}\n", "a", "b"));
        stack.up();
        String views = stack.read(SampleViews.PATH);
        stack.write(SampleViews.PATH, SampleViews.indexFailing(views, 5));
        badCommit = stack.commitAll("index fails 5% of requests");
        stack.write(SampleViews.PATH, SampleViews.indexSlow(views, 0.7));
        slowCommit = stack.commitAll("index answers in 0.7 s");
        stack.write(SampleViews.PATH, views);
        stack.commitAll("index as it was");
        api = LoopbackPorts.reserve();
        log = Files.createTempFile("regent-guard", ".log");
        stack.startLoop(log, Map.of(), "run", "--listen", "127.0.0.1:" + api);
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
    void aBuildThatFailsFivePercentIsSwappedBackByItselfFailingNothingMore() throws Exception {
        Verdict verdict = promoteUnderLoad("c", badCommit);

        assertThat(verdict.back()).as("the rollback came within interval x failureLimit + 5 s").isLessThanOrEqualTo(DEADLINE);
        assertThat(verdict.health().failed()).as("requests to /healthz while live moved there and back: "
                + verdict.health().line()).isZero();
        assertThat(verdict.index().failed()).as("the bad build's 5%% on /: " + verdict.index().line()).isPositive();
        JsonNode pin = stack.promotions().pin("c").orElseThrow();
        assertThat(pin.at("/figures/errors").asLong()).as("counted in the pin").isPositive();
        assertThat(pin.get("reason").asText()).contains("build c failed");
        String status = stack.regent("status").output();
        assertThat(status).contains("live held at a: revision file:").contains("was rolled back because build c failed");
        Matcher counted = Pattern.compile("\\((\\d+) of (\\d+); at most").matcher(status);
        assertThat(counted.find()).as(status).isTrue();
        assertThat(Long.parseLong(counted.group(1))).isPositive();
        assertThat(metrics()).containsPattern("regent_rollbacks_total\\{build=\"c\"\\} 1\\.0");
        System.out.printf("5%% build: back in %d ms after the move; / %s; /healthz %s%n", verdict.back().toMillis(),
                verdict.index().line(), verdict.health().line());
    }

    @Test
    @Order(2)
    void theSameDesiredStateIsNotPromotedAgainOnResyncs() {
        String same = stack.desired();
        for (int i = 0; i < 5; i++) {
            stack.writeDesired(same);
        }
        await().during(Duration.ofSeconds(8)).atMost(Duration.ofSeconds(15))
                .until(() -> stack.servedBy(stack.livePort).equals("a"));
        assertThat(stack.regent("plan").output()).contains("live held at a");
    }

    @Test
    @Order(3)
    void aSlowBuildIsSwappedBackToo() throws Exception {
        Verdict verdict = promoteUnderLoad("d", slowCommit);

        assertThat(verdict.back()).isLessThanOrEqualTo(DEADLINE);
        assertThat(verdict.health().failed()).as(verdict.health().line()).isZero();
        assertThat(stack.promotions().pin("d").orElseThrow().get("reason").asText()).contains("p99");
        System.out.printf("slow build: back in %d ms after the move; / %s; /healthz %s%n", verdict.back().toMillis(),
                verdict.index().line(), verdict.health().line());
    }

    @Test
    @Order(4)
    void aHealthyBuildPassesItsAnalysisAndStays() throws Exception {
        stack.writeDesired(desired(builds() + "    e: {ref: HEAD}\n", "e", "a").replace("PROJECT", stack.project));
        await().atMost(Duration.ofMinutes(4)).until(() -> stack.servedBy(stack.livePort).equals("e"));
        Load index = Load.start(stack.livePort, "/", 4, 120);
        try {
            Instant moved = Instant.parse(stack.promotions().last().orElseThrow().get("at").asText());
            await().atMost(Duration.ofSeconds(60)).until(() -> Instant.now().isAfter(moved.plusSeconds(35)));
        } finally {
            var result = index.stop();
            assertThat(result.failed()).as(result.line()).isZero();
        }
        assertThat(stack.servedBy(stack.livePort)).isEqualTo("e");
        assertThat(stack.promotions().last().orElseThrow().get("to").asText()).isEqualTo("e");
        assertThat(Files.readString(stack.root.resolve("deploy/run/rollbacks.json"))).doesNotContain("\"e\"");
    }

    /** Makes {@code build} (from {@code commit}) live with a under load, and waits until live is back at a. */
    private static Verdict promoteUnderLoad(String build, String commit) throws Exception {
        Load index = Load.start(stack.livePort, "/", 4, 600);
        Load health = Load.start(stack.livePort, "/healthz", 2, 600);
        Load.Result indexResult;
        Load.Result healthResult;
        Duration back;
        try {
            extraBuilds.append("    ").append(build).append(": {ref: ").append(commit).append("}\n");
            stack.writeDesired(desired(builds(), build, "a").replace("PROJECT", stack.project));
            await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(200))
                    .until(() -> stack.promotions().lastTo(build));
            Instant moved = Instant.parse(stack.promotions().last().orElseThrow().get("at").asText());
            await().atMost(DEADLINE.plusSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> stack.promotions().rolledBackTo("a"));
            back = Duration.between(moved, Instant.parse(stack.promotions().last().orElseThrow().get("at").asText()));
            await().atMost(Duration.ofSeconds(10)).until(() -> stack.servedBy(stack.livePort).equals("a"));
        } finally {
            indexResult = index.stop();
            healthResult = health.stop();
        }
        return new Verdict(back, indexResult, healthResult);
    }

    private record Verdict(Duration back, Load.Result index, Load.Result health) {
    }

    private static final StringBuilder extraBuilds = new StringBuilder();

    private static String builds() {
        return "    a: {ref: HEAD}\n    b: {ref: HEAD}\n" + extraBuilds;
    }

    private static String metrics() {
        return stack.get(api, "/metrics").body();
    }
}
