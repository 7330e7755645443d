package dev.regent.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.regent.gitops.WebhookAuth;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * GitOps on a real stack: `regent run --git` follows the stack's own repository; promotions are
 * commits, nudged by signed webhooks; bad commits and an unreachable remote change nothing.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GitOpsE2E {
    static final String SECRET = "e2e-webhook-secret";
    static Stack stack;
    static Process loop;
    static Path log;
    static int apiPort;

    static String desired(String builds, String live, String stage) {
        return Stack.desiredState(stack == null ? "PROJECT" : stack.project, builds, live, stage);
    }

    @BeforeAll
    static void start() throws Exception {
        stack = Stack.create(desired("    a: {ref: HEAD}\n    b: {ref: HEAD}\n", "a", "b"));
        stack.up();
        apiPort = Stack.freeLoopbackPort();
        log = Files.createTempFile("regent-gitops", ".log");
        loop = stack.startRegent(log, Map.of("REGENT_WEBHOOK_SECRET", SECRET), "run", "--git", stack.root.toString(),
                "--branch", "main", "--resync", "5", "--listen", "127.0.0.1:" + apiPort);
    }

    @AfterAll
    static void stop() throws Exception {
        if (loop != null) {
            loop.destroy();
            loop.waitFor();
        }
        if (stack != null) {
            stack.close();
        }
    }

    static String head() {
        return stack.git("rev-parse", "HEAD").output().strip();
    }

    static String commitDesired(String text, String message) {
        stack.writeDesired(text);
        return stack.commitAll(message);
    }

    static int webhook(String body, Map<String, String> headers) {
        return stack.post(apiPort, "/webhook", body, headers);
    }

    static Map<String, String> signed(String body) {
        return Map.of(WebhookAuth.GITHUB, "sha256=" + new WebhookAuth(Optional.of(SECRET)).hmac(body.getBytes(StandardCharsets.UTF_8)));
    }

    String status() {
        return stack.regent("status", "-o", "json").output();
    }

    @Test
    @Order(1)
    void theFirstCommitConvergesWithoutAnyoneTouchingTheHost() {
        String first = head();
        await().atMost(Duration.ofMinutes(3)).untilAsserted(() -> {
            assertThat(stack.servedBy(stack.livePort)).isEqualTo("a");
            assertThat(stack.servedBy(stack.stagePort)).isEqualTo("b");
        });
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(status()).contains("\"applied\" : \"" + first + "\""));
    }

    @Test
    @Order(2)
    void aCommitStagesANewBuildAndAnotherSwapsIt() {
        String stage = commitDesired(desired("    a: {ref: HEAD}\n    b: {ref: HEAD}\n    c: {ref: HEAD}\n", "a", "c"),
                "stage build c");
        assertThat(webhook("{}", signed("{}"))).isEqualTo(202);
        await().atMost(Duration.ofMinutes(2)).untilAsserted(() -> assertThat(stack.servedBy(stack.stagePort)).isEqualTo("c"));
        assertThat(stack.servedBy(stack.livePort)).isEqualTo("a");

        String swap = commitDesired(desired("    a: {ref: HEAD}\n    b: {ref: HEAD}\n    c: {ref: HEAD}\n", "c", "a"),
                "promote build c");
        assertThat(webhook("{}", signed("{}"))).isEqualTo(202);
        long start = System.nanoTime();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(stack.servedBy(stack.livePort)).isEqualTo("c"));
        System.out.printf("push-to-live with webhook: %d ms%n", (System.nanoTime() - start) / 1_000_000);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(status()).contains("\"applied\" : \"" + swap + "\""));
        assertThat(stage).isNotEqualTo(swap);
    }

    @Test
    @Order(3)
    void aWrongOrMissingSignatureGets401AndTriggersNothing() {
        assertThat(webhook("{}", Map.of(WebhookAuth.GITHUB, "sha256=0000"))).isEqualTo(401);
        assertThat(webhook("{}", Map.of())).isEqualTo(401);
        assertThat(webhook("{}", Map.of(WebhookAuth.GITLAB, "wrong"))).isEqualTo(401);
        assertThat(webhook("{}", Map.of(WebhookAuth.GITLAB, SECRET))).isEqualTo(202);
        assertThat(stack.post(apiPort, "/webhook", "x".repeat(2 * 1024 * 1024), signed("x"))).isEqualTo(413);
    }

    @Test
    @Order(4)
    void anInvalidCommitIsReportedAndItsFixAppliesAtOnce() {
        String good = stack.desired();
        String bad = commitDesired(good.replace("live: c", "live: [c"), "a broken desired state");
        webhook("{}", signed("{}"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            String status = status();
            assertThat(status).contains("\"attempted\" : \"" + bad + "\"");
            assertThat(status).contains("invalid desired state", "desired-state.yaml@" + bad.substring(0, 12));
        });
        assertThat(stack.servedBy(stack.livePort)).isEqualTo("c");

        String fix = commitDesired(good.replace("live: c", "live: a").replace("stage: a", "stage: c"), "fix: roll back to a");
        webhook("{}", signed("{}"));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(stack.servedBy(stack.livePort)).isEqualTo("a"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(status()).contains("\"applied\" : \"" + fix + "\""));
    }

    @Test
    @Order(5)
    void anUnreachableRemoteIsReportedAndRecoveredFromByItself() throws Exception {
        Path git = stack.root.resolve(".git");
        Path hidden = stack.root.resolve(".git-away");
        String before = stack.fingerprint();
        Files.move(git, hidden);
        try {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(stack.regent("status").output()).contains("remote unreachable"));
            assertThat(stack.fingerprint()).isEqualTo(before);
            assertThat(stack.servedBy(stack.livePort)).isEqualTo("a");
        } finally {
            Files.move(hidden, git);
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(stack.regent("status").output()).doesNotContain("remote unreachable"));
    }

    @Test
    @Order(6)
    void rollbackIsAGitRevertOfThePromotion() throws Exception {
        String promote = commitDesired(stack.desired().replace("live: a", "live: c").replace("stage: c", "stage: a"),
                "promote c again");
        webhook("{}", signed("{}"));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(stack.servedBy(stack.livePort)).isEqualTo("c"));

        Process load = new ProcessBuilder("wrk", "-t2", "-c32", "-d12s", "http://127.0.0.1:" + stack.livePort + "/healthz")
                .redirectErrorStream(true).start();
        await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(load::isAlive);
        stack.git("revert", "--no-edit", promote);
        webhook("{}", signed("{}"));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(stack.servedBy(stack.livePort)).isEqualTo("a"));
        String report = new String(load.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        load.waitFor();
        System.out.println("rollback under load:\n" + report);
        assertThat(report).contains("requests in").doesNotContain("Socket errors", "Non-2xx");
        assertThat(stack.servedBy(stack.stagePort)).isEqualTo("c");
        var history = stack.regent("history");
        assertThat(history.output()).contains("make build a live", head().substring(0, 12));
    }

    @Test
    @Order(7)
    void anOpenDenyWindowHoldsThePromotionAndSaysSo() {
        String held = stack.desired().replace("live: a", "live: c").replace("stage: c", "stage: a")
                .replace("  builds:", "  syncWindows:\n    - {kind: deny, schedule: \"0 * * * * ?\", duration: 2m}\n  builds:");
        commitDesired(held, "promote c during a freeze");
        webhook("{}", signed("{}"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(stack.regent("status").output()).contains("waits for a sync window", "deny window"));
        assertThat(stack.servedBy(stack.livePort)).isEqualTo("a");

        commitDesired(held.replace("  syncWindows:\n    - {kind: deny, schedule: \"0 * * * * ?\", duration: 2m}\n", ""),
                "the freeze is over");
        webhook("{}", signed("{}"));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(stack.servedBy(stack.livePort)).isEqualTo("c"));
    }

    @Test
    @Order(8)
    void theSeedsVerbsCommitTheirEditForTheLoop() {
        var swap = stack.regent("swap-live", "--commit", "-m", "c misbehaves under load");

        assertThat(swap.exit()).as(swap.output()).isZero();
        assertThat(stack.git("log", "-1", "--format=%B").output()).contains("regent: live: c -> a", "c misbehaves under load");
        assertThat(stack.git("status", "--porcelain", "desired-state.yaml").output()).isBlank();
        webhook("{}", signed("{}"));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(stack.servedBy(stack.livePort)).isEqualTo("a"));
    }

    @Test
    @Order(9)
    void theStatusApiAndMetricsMatchTheRealHost() throws Exception {
        var http = java.net.http.HttpClient.newHttpClient();
        java.util.function.Function<String, String> get = path -> {
            try {
                return http.send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + apiPort + path)).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(get.apply("/api/status")).contains("\"converged\" : true", "\"stage\" : \"c\""));
        var status = get.apply("/api/status");
        var metrics = get.apply("/metrics");

        assertThat(stack.servedBy(stack.livePort)).isEqualTo("a");
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(status);
        assertThat(json.path("live").asText()).isEqualTo("a");
        assertThat(json.path("stage").asText()).isEqualTo("c");
        assertThat(json.path("converged").asBoolean()).isTrue();
        var builds = new java.util.HashMap<String, com.fasterxml.jackson.databind.JsonNode>();
        json.path("builds").forEach(b -> builds.put(b.path("name").asText(), b));
        assertThat(builds.get("a").path("roles").toString()).contains("live");
        assertThat(builds.get("a").path("workerList").size()).isEqualTo(2);
        assertThat(builds.get("a").path("workerList").get(0).path("pid").asInt()).isPositive();
        assertThat(json.path("events").toString()).contains("make build a live");
        assertThat(metrics).contains("regent_build_role{build=\"a\",role=\"live\"} 1.0",
                "regent_build_role{build=\"c\",role=\"stage\"} 1.0");
        var promotions = metrics.lines().filter(l -> l.startsWith("regent_promotions_total ")).findFirst().orElse("");
        assertThat(Double.parseDouble(promotions.split(" ")[1])).as(promotions).isGreaterThanOrEqualTo(3.0);
    }
}
