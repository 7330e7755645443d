package dev.regent.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.regent.gitops.WebhookAuth;
import dev.regent.testing.LoopbackPorts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The promotion safety net under `regent run --git` on one real stack, in order: a commit whose
 * build fails half of / is rolled back by itself and pinned, so 50 signed webhooks and 50 resync
 * polls of that same commit promote nothing while a newer commit does; the approval gate holds
 * live until an authenticated approval (CLI or signed POST) and records who and when; the
 * promotion history survives a restart of `regent run`.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GitGuardE2E {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET = "e2e-guard-secret";
    private static final int WEBHOOKS = 50;
    private static final int POLLS = 50;
    /** Generous on p99 so a loaded machine never rolls back a healthy build; the bad one fails half its requests. */
    private static final String ANALYSIS =
            "    analysis: {window: 20s, interval: 2s, maxErrorRate: 1%, maxP99: 10s, minRequests: 10, failureLimit: 2}\n";
    private static final String AB = "    a: {ref: HEAD}\n    b: {ref: HEAD}\n";
    static Stack stack;
    static Process loop;
    static Path log;
    static int api;
    static String badViews;

    @BeforeAll
    static void start() throws Exception {
        stack = Stack.create(desired(AB, "a", "b", false));
        stack.up();
        String views = stack.read(SampleViews.PATH);
        stack.write(SampleViews.PATH, SampleViews.indexFailing(views, 50));
        badViews = stack.commitAll("index fails half of its requests");
        stack.write(SampleViews.PATH, views);
        stack.commitAll("index as it was");
        startLoop();
        await().atMost(Duration.ofMinutes(5)).untilAsserted(() -> {
            assertThat(loop.isAlive()).as("regent run exited:\n%s", Files.readString(log)).isTrue();
            assertThat(stack.servedBy(stack.livePort)).isEqualTo("a");
            assertThat(stack.servedBy(stack.stagePort)).isEqualTo("b");
        });
    }

    @AfterAll
    static void stop() throws Exception {
        stopLoop();
        if (stack != null) {
            stack.close();
        }
    }

    static String desired(String builds, String live, String stage, boolean requireApproval) {
        return Stack.desiredState(stack == null ? "PROJECT" : stack.project, builds, live, stage)
                + "  promotion:\n" + ANALYSIS + (requireApproval ? "    requireApproval: true\n" : "");
    }

    /** 1 s resync: every second is a poll of the followed branch. */
    static void startLoop() throws IOException {
        api = LoopbackPorts.reserve();
        log = Files.createTempFile("regent-gitguard", ".log");
        loop = stack.startRegent(log, Map.of("REGENT_WEBHOOK_SECRET", SECRET), "run", "--git", stack.root.toString(),
                "--branch", "main", "--resync", "1", "--listen", "127.0.0.1:" + api);
        await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> {
            assertThat(loop.isAlive()).as("regent run exited:\n%s", Files.readString(log)).isTrue();
            assertThat(stack.get(api, "/healthz").status()).isEqualTo(200);
        });
    }

    static void stopLoop() throws InterruptedException {
        if (loop != null) {
            loop.destroy();
            loop.waitFor();
        }
    }

    @Test
    @Order(1)
    void aRolledBackCommitIsNotPromotedAgainByPollsOrWebhooksButANewerCommitIs() throws Exception {
        Load index = Load.start(stack.livePort, "/", 4, 600);
        String pinned;
        Load.Result load;
        try {
            await().atMost(Duration.ofSeconds(10)).until(index::running);
            pinned = commit(desired(AB + "    c: {ref: " + badViews + "}\n", "c", "a", false), "make c (fails half of /) live");
            await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(200)).until(() -> stack.promotions().lastTo("c"));
            Instant moved = Instant.parse(stack.promotions().last().orElseThrow().path("at").asText());
            await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(200))
                    .until(() -> stack.promotions().rolledBackTo("a"));
            System.out.printf("c live, then rolled back to a by itself %d ms later%n",
                    Duration.between(moved, Instant.parse(stack.promotions().last().orElseThrow().path("at").asText())).toMillis());
            await().atMost(Duration.ofSeconds(10)).until(() -> stack.servedBy(stack.livePort).equals("a"));
        } finally {
            load = index.stop();
        }
        System.out.println("load on / across c's promotion and rollback: " + load.line());
        assertThat(load.failed()).as("c failed some of /: " + load.line()).isPositive();
        await().atMost(Duration.ofSeconds(10)).until(() -> history().stream()
                .anyMatch(e -> e.path("revision").asText().equals(pinned) && e.path("result").asText().equals("rolled back")));
        assertThat(stack.promotions().pin("c").orElseThrow().path("revision").asText()).isEqualTo(pinned);
        String promotionBefore = stack.read("deploy/run/promotion.json");
        int historyBefore = history().size();
        Instant since = Instant.now();

        for (int i = 0; i < WEBHOOKS; i++) {
            Instant sent = Instant.now();
            assertThat(webhook("{}", signed("{}"))).isEqualTo(202);
            Instant fetched = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                    .until(GitGuardE2E::lastFetch, f -> f.isAfter(sent));
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                    .until(() -> passesHeldAt(pinned, "live held at a", fetched) > 0);
            assertThat(stack.servedBy(stack.livePort)).isEqualTo("a");
        }
        int afterWebhooks = passesHeldAt(pinned, "live held at a", since);
        Instant pollsFrom = Instant.now();
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
                .until(() -> passesHeldAt(pinned, "live held at a", pollsFrom) >= POLLS);
        int polls = passesHeldAt(pinned, "live held at a", pollsFrom);
        List<JsonNode> during = history().subList(historyBefore, history().size());

        System.out.printf("pinned commit %s: %d signed webhooks (each followed by a pass), %d passes in all, "
                        + "%d polls by the 1 s resync alone; promotions meanwhile: %d; live %s%n", pinned.substring(0, 12),
                WEBHOOKS, passesHeldAt(pinned, "live held at a", since), polls, during.size(),
                stack.servedBy(stack.livePort));
        assertThat(afterWebhooks).isGreaterThanOrEqualTo(WEBHOOKS);
        assertThat(polls).isGreaterThanOrEqualTo(POLLS);
        assertThat(during).as("history entries while c's commit was polled").isEmpty();
        assertThat(stack.read("deploy/run/promotion.json")).isEqualTo(promotionBefore);
        assertThat(stack.servedBy(stack.livePort)).isEqualTo("a");
        assertThat(stack.regent("status").output()).contains("live held at a: revision " + pinned.substring(0, 12));

        String newer = commit(desired(AB + "    c: {ref: " + badViews + "}\n", "b", "a", false), "make b live");
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(200)).until(() -> stack.promotions().lastTo("b"));
        await().atMost(Duration.ofSeconds(10)).until(() -> stack.servedBy(stack.livePort).equals("b"));
        // The history entry follows the rename that moved live.
        JsonNode promoted = await().atMost(Duration.ofSeconds(10)).until(() -> history().stream()
                .filter(e -> e.path("revision").asText().equals(newer)).findFirst(), Optional::isPresent).orElseThrow();
        System.out.printf("newer commit %s: promoted %s -> %s (%s)%n", newer.substring(0, 12), promoted.path("from").asText(),
                promoted.path("to").asText(), promoted.path("result").asText());
        assertThat(promoted.path("revision").asText()).isEqualTo(newer);
        assertThat(promoted.path("trigger").asText()).isEqualTo("git");
        assertThat(promoted.path("result").asText()).isEqualTo("succeeded");
    }

    @Test
    @Order(2)
    void liveWaitsForAnAuthenticatedApprovalWhichIsRecordedWithWhoAndWhen() throws Exception {
        converge(desired(AB, "b", "a", false), "b", "a");
        String gated = commit(desired(AB, "a", "b", true), "make a live, once approved");
        Instant since = Instant.now();
        await().atMost(Duration.ofSeconds(30)).until(() -> passesHeldAt(gated, "build a waits for approval", since) > 0);
        await().during(Duration.ofSeconds(8)).atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250))
                .until(() -> stack.servedBy(stack.livePort).equals("b"));
        int waited = passesHeldAt(gated, "build a waits for approval", since);
        assertThat(waited).as("reconcile passes that held live for the approval").isGreaterThanOrEqualTo(5);
        assertThat(stack.servedBy(stack.stagePort)).as("the build that waits is stage, warm").isEqualTo("a");
        assertThat(stack.regent("status").output()).contains("live stays at b: build a waits for approval (regent approve a)");

        String body = "{\"build\": \"a\", \"by\": \"mallory\"}";
        assertThat(approve(body, Map.of())).isEqualTo(401);
        assertThat(approve(body, Map.of(WebhookAuth.GITHUB, "sha256=" + hmac("another secret", body)))).isEqualTo(401);
        assertThat(approve(body, signed("{}"))).as("a signature of another body").isEqualTo(401);
        assertThat(approve(body, Map.of(WebhookAuth.GITLAB, "wrong"))).isEqualTo(401);
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(250))
                .until(() -> stack.servedBy(stack.livePort).equals("b"));
        assertThat(stack.root.resolve("deploy/run/approvals.json")).doesNotExist();
        System.out.printf("approval gate: %d passes held live at b; 4 unauthenticated approvals got 401%n", waited);

        var cli = stack.regent("approve", "a", "--by", "alice");
        assertThat(cli.exit()).as(cli.output()).isZero();
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(() -> stack.promotions().lastTo("a"));
        assertThat(stack.servedBy(stack.livePort)).isEqualTo("a");
        assertApprovedInHistory(gated, "b", "a", "alice");

        String gatedAgain = commit(desired(AB, "b", "a", true), "make b live, once approved");
        await().atMost(Duration.ofSeconds(30)).until(() -> passesHeldAt(gatedAgain, "build b waits for approval", since) > 0);
        String signedBody = "{\"build\": \"b\", \"by\": \"bob\"}";
        assertThat(approve(signedBody, signed(signedBody))).isEqualTo(202);
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(() -> stack.promotions().lastTo("b"));
        assertThat(stack.servedBy(stack.livePort)).isEqualTo("b");
        assertApprovedInHistory(gatedAgain, "a", "b", "bob");

        JsonNode approvals = JSON.readTree(stack.root.resolve("deploy/run/approvals.json").toFile());
        assertThat(approvals.findValuesAsText("by")).containsExactlyInAnyOrder("alice", "bob");
        for (JsonNode approval : approvals) {
            assertThat(Instant.parse(approval.path("at").asText())).isBetween(since, Instant.now());
            assertThat(approval.path("commit").asText()).hasSize(40);
        }
    }

    @Test
    @Order(3)
    void theHistorySurvivesARestartAndGrowsAfterIt() throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() -> history().size() >= 4);
        JsonNode cliBefore = cliHistory();
        JsonNode apiBefore = apiHistory();
        assertThat(apiBefore).isEqualTo(cliBefore);

        stopLoop();
        startLoop();
        JsonNode cliAfter = cliHistory();
        JsonNode apiAfter = apiHistory();
        assertThat(cliAfter).isEqualTo(cliBefore);
        assertThat(apiAfter).isEqualTo(apiBefore);

        String after = commit(desired(AB, "a", "b", false), "make a live after the restart");
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(200)).until(() -> stack.promotions().lastTo("a"));
        await().atMost(Duration.ofSeconds(10)).until(() -> apiHistory().size() == apiBefore.size() + 1);
        JsonNode grown = apiHistory();
        for (int i = 0; i < apiBefore.size(); i++) {
            assertThat(grown.get(i)).isEqualTo(apiBefore.get(i));
        }
        JsonNode last = grown.get(grown.size() - 1);
        assertThat(last.path("revision").asText()).isEqualTo(after);
        assertThat(last.path("to").asText()).isEqualTo("a");
        assertThat(cliHistory()).isEqualTo(grown);
        System.out.printf("history: %d entries before the restart, the same %d after it, %d after a new commit:%n%s%n",
                apiBefore.size(), apiAfter.size(), grown.size(), stack.regent("history").output());
    }

    private static void assertApprovedInHistory(String revision, String from, String to, String by) throws IOException {
        await().atMost(Duration.ofSeconds(10)).until(() -> history().stream()
                .anyMatch(e -> e.path("revision").asText().equals(revision) && e.path("to").asText().equals(to)));
        JsonNode entry = history().stream().filter(e -> e.path("revision").asText().equals(revision)).reduce((x, y) -> y)
                .orElseThrow();
        assertThat(entry.path("trigger").asText()).isEqualTo("approval");
        assertThat(entry.path("from").asText()).isEqualTo(from);
        assertThat(entry.path("result").asText()).isEqualTo("succeeded");
        assertThat(entry.path("reason").asText()).containsPattern("approved by " + by + " at \\d{4}-\\d\\d-\\d\\dT");
        JsonNode approval = null;
        for (JsonNode a : JSON.readTree(stack.root.resolve("deploy/run/approvals.json").toFile())) {
            if (a.path("build").asText().equals(to)) {
                approval = a;
            }
        }
        assertThat(approval).as("approvals.json holds the approval of " + to).isNotNull();
        assertThat(approval.path("by").asText()).isEqualTo(by);
        assertThat(entry.path("reason").asText()).contains("approved by " + by + " at " + approval.path("at").asText());
        assertThat(stack.regent("history").output()).contains(to + "  " + revision.substring(0, 12) + " approval");
    }

    /** Commits this desired state, nudges the loop with a signed webhook, and returns the commit. */
    private static String commit(String text, String message) {
        stack.writeDesired(text);
        String commit = stack.commitAll(message);
        assertThat(webhook("{}", signed("{}"))).isEqualTo(202);
        return commit;
    }

    private static void converge(String text, String live, String stage) {
        stack.writeDesired(text);
        if (!stack.git("status", "--porcelain", "desired-state.yaml").output().isBlank()) {
            stack.commitAll("converge: live " + live + ", stage " + stage);
        }
        assertThat(webhook("{}", signed("{}"))).isEqualTo(202);
        await().atMost(Duration.ofMinutes(2)).untilAsserted(() -> {
            assertThat(stack.servedBy(stack.livePort)).isEqualTo(live);
            assertThat(stack.servedBy(stack.stagePort)).isEqualTo(stage);
        });
    }

    private static int webhook(String body, Map<String, String> headers) {
        return stack.post(api, "/webhook", body, headers);
    }

    private static int approve(String body, Map<String, String> headers) {
        return stack.post(api, "/api/approve", body, headers);
    }

    private static Map<String, String> signed(String body) {
        return Map.of(WebhookAuth.GITHUB, "sha256=" + hmac(SECRET, body));
    }

    private static String hmac(String secret, String body) {
        return new WebhookAuth(Optional.of(secret)).hmac(body.getBytes(StandardCharsets.UTF_8));
    }

    /** Reconcile passes of {@code revision} since {@code since} that ended blocked with a reason holding {@code text}. */
    private static int passesHeldAt(String revision, String text, Instant since) throws IOException {
        Path journal = stack.root.resolve("deploy/run/journal.jsonl");
        int count = 0;
        for (String line : Files.readAllLines(journal)) {
            JsonNode entry = parse(line);
            if (entry != null && entry.path("kind").asText().equals("reconcile") && entry.path("revision").asText().equals(revision)
                    && entry.path("outcome").asText().equals("Blocked") && entry.path("detail").asText().contains(text)
                    && Instant.parse(entry.path("at").asText()).isAfter(since)) {
                count++;
            }
        }
        return count;
    }

    /** When the loop last fetched the followed branch: each pass fetches first. */
    private static Instant lastFetch() {
        try {
            JsonNode status = JSON.readTree(stack.root.resolve("deploy/run/gitops.json").toFile());
            return Instant.parse(status.path("lastFetch").asText());
        } catch (IOException | RuntimeException e) {
            return Instant.EPOCH; // being replaced
        }
    }

    private static List<JsonNode> history() throws IOException {
        Path file = stack.root.resolve("deploy/run/history.jsonl");
        var entries = new ArrayList<JsonNode>();
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file)) {
                JsonNode entry = parse(line);
                if (entry != null) {
                    entries.add(entry);
                }
            }
        }
        return entries;
    }

    private static JsonNode parse(String line) {
        try {
            return line.isBlank() ? null : JSON.readTree(line);
        } catch (IOException e) {
            return null; // a line being appended
        }
    }

    private static JsonNode cliHistory() throws IOException {
        var history = stack.regent("history", "-n", "1000", "-o", "json");
        assertThat(history.exit()).as(history.output()).isZero();
        return JSON.readTree(history.output()).path("entries");
    }

    private static JsonNode apiHistory() throws IOException {
        var response = stack.get(api, "/api/history?limit=1000");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body()).path("entries");
    }
}
