package dev.regent.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.regent.gitops.WebhookAuth;
import dev.regent.testing.LoopbackPorts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * GitOps on a real stack: `regent run --git` follows the stack's own repository; promotions are
 * commits, nudged by signed webhooks; bad commits and an unreachable remote change nothing. The
 * stack and its loop are shared; each test first commits the state it needs and waits until the
 * loop converged on it.
 */
class GitOpsE2E {
    static final String SECRET = "e2e-webhook-secret";
    static final String AB = "    a: {ref: HEAD}\n    b: {ref: HEAD}\n";
    static final String ABC = AB + "    c: {ref: HEAD}\n";
    static Stack stack;
    static Process loop;
    static Path log;
    static int apiPort;
    static String first;

    static String desired(String builds, String live, String stage) {
        return Stack.desiredState(stack == null ? "PROJECT" : stack.project, builds, live, stage);
    }

    @BeforeAll
    static void start() throws Exception {
        stack = Stack.create(desired("    a: {ref: HEAD}\n    b: {ref: HEAD}\n", "a", "b"));
        stack.up();
        apiPort = LoopbackPorts.reserve();
        log = Files.createTempFile("regent-gitops", ".log");
        first = head();
        loop = stack.startRegent(log, Map.of("REGENT_WEBHOOK_SECRET", SECRET), "run", "--git", stack.root.toString(),
                "--branch", "main", "--resync", "5", "--listen", "127.0.0.1:" + apiPort);
        awaitConverged(first, "a", "b", Duration.ofMinutes(3));
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

    static String status() {
        return stack.regent("status", "-o", "json").output();
    }

    /**
     * Commits this desired state unless HEAD already holds it, nudges the loop and waits until it
     * converged on HEAD with these roles; returns HEAD.
     */
    static String converge(String builds, String live, String stage) {
        stack.writeDesired(desired(builds, live, stage));
        if (!stack.git("status", "--porcelain", "desired-state.yaml").output().isBlank()) {
            stack.commitAll("converge: live " + live + ", stage " + stage);
        }
        String head = head();
        assertThat(webhook("{}", signed("{}"))).isEqualTo(202);
        awaitConverged(head, live, stage, Duration.ofMinutes(3));
        return head;
    }

    static void awaitConverged(String revision, String live, String stage, Duration atMost) {
        await().atMost(atMost).untilAsserted(() -> {
            assertThat(loop.isAlive()).as("regent run exited:\n%s", Files.readString(log)).isTrue();
            assertThat(stack.servedBy(stack.livePort)).isEqualTo(live);
            assertThat(stack.servedBy(stack.stagePort)).isEqualTo(stage);
            assertThat(status()).contains("\"applied\" : \"" + revision + "\"", "\"converged\" : true");
        });
    }

    /** The loop converged the first commit before any test ran; its history shows it did so on its own. */
    @Test
    void theFirstCommitConvergesWithoutAnyoneTouchingTheHost() {
        String revision = first.substring(0, 12);

        var history = stack.regent("history", "--actions", "-n", "100000");

        assertThat(history.exit()).as(history.output()).isZero();
        assertThat(history.output().lines().filter(l -> l.contains("  " + revision + "  ")).toList()).as(history.output())
                .anyMatch(l -> l.contains("create build a")).anyMatch(l -> l.contains("create build b"))
                .anyMatch(l -> l.contains("make build a live")).anyMatch(l -> l.contains("link build b as stage"))
                .noneMatch(l -> l.contains("failed"));
    }

    @Test
    void aCommitStagesANewBuildAndAnotherSwapsIt() {
        converge(AB, "a", "b");
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
    void aWrongOrMissingSignatureGets401AndTriggersNothing() {
        assertThat(webhook("{}", Map.of(WebhookAuth.GITHUB, "sha256=0000"))).isEqualTo(401);
        assertThat(webhook("{}", Map.of())).isEqualTo(401);
        assertThat(webhook("{}", Map.of(WebhookAuth.GITLAB, "wrong"))).isEqualTo(401);
        assertThat(webhook("{}", Map.of(WebhookAuth.GITLAB, SECRET))).isEqualTo(202);
        assertThat(stack.post(apiPort, "/webhook", "x".repeat(2 * 1024 * 1024), signed("x"))).isEqualTo(413);
    }

    @Test
    void anInvalidCommitIsReportedAndItsFixAppliesAtOnce() {
        converge(ABC, "c", "a");
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
    void anUnreachableRemoteIsReportedAndRecoveredFromByItself() throws Exception {
        converge(ABC, "a", "c");
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

    /** The load runs until the rollback is seen on live (bounded by wrk's own duration), so a late rollback is tested too. */
    @Test
    void rollbackIsAGitRevertOfThePromotion() throws Exception {
        converge(ABC, "a", "c");
        String promote = converge(ABC, "c", "a");

        Load load = Load.start(stack.livePort, "/healthz", 32, 300);
        await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(load::running);
        stack.git("revert", "--no-edit", promote);
        webhook("{}", signed("{}"));
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> assertThat(stack.servedBy(stack.livePort)).isEqualTo("a"));
        boolean loadRanThroughTheRollback = load.running();
        var seen = load.stop();

        System.out.println("rollback under load: " + seen.line() + "\n" + seen.report());
        assertThat(loadRanThroughTheRollback).as("the load still ran when live served a again").isTrue();
        assertThat(seen.requests()).as(seen.report()).isPositive();
        assertThat(seen.failed()).as(seen.report()).isZero();
        // Live moves first; stage is pointed back at c by the next action.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(stack.servedBy(stack.stagePort)).isEqualTo("c"));
        var history = stack.regent("history", "--actions");
        assertThat(history.output()).contains("make build a live", head().substring(0, 12));
    }

    @Test
    void anOpenDenyWindowHoldsThePromotionAndSaysSo() {
        converge(ABC, "a", "c");
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
    void theSeedsVerbsCommitTheirEditForTheLoop() {
        converge(ABC, "c", "a");
        var swap = stack.regent("swap-live", "--commit", "-m", "c misbehaves under load");

        assertThat(swap.exit()).as(swap.output()).isZero();
        assertThat(stack.git("log", "-1", "--format=%B").output()).contains("regent: live: c -> a", "c misbehaves under load");
        assertThat(stack.git("status", "--porcelain", "desired-state.yaml").output()).isBlank();
        webhook("{}", signed("{}"));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(stack.servedBy(stack.livePort)).isEqualTo("a"));
    }

    @Test
    void theStatusApiAndMetricsMatchTheRealHost() throws Exception {
        converge(ABC, "a", "c");
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
        double promotionsBefore = promotions(get.apply("/metrics"));
        converge(ABC, "c", "a");
        converge(ABC, "a", "c");
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
        assertThat(promotions(metrics)).as("two promotions: c live, then a live again").isEqualTo(promotionsBefore + 2);
    }

    private static double promotions(String metrics) {
        var line = metrics.lines().filter(l -> l.startsWith("regent_promotions_total ")).findFirst().orElse("");
        assertThat(line).as(metrics).isNotEmpty();
        return Double.parseDouble(line.split(" ")[1]);
    }
}
