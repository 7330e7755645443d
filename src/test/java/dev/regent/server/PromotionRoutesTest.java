package dev.regent.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.regent.approval.Approvals;
import dev.regent.events.PromotionEvent;
import dev.regent.fs.HostFiles;
import dev.regent.fs.HostLayout;
import dev.regent.gitops.WebhookAuth;
import dev.regent.history.PromotionHistory;
import dev.regent.observe.BuildRecord;
import dev.regent.reconcile.TriggerQueue;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GET /api/history and POST /api/approve on the real server over a real host folder. */
class PromotionRoutesTest {
    static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";
    @TempDir
    Path root;
    HostLayout layout;
    OperatorServer server;
    TriggerQueue triggers = new TriggerQueue();
    WebhookAuth auth = new WebhookAuth(Optional.of("secret"));
    HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        layout = new HostLayout(root);
        Files.createDirectories(layout.build("b"));
        HostFiles.writeJson(layout.build("b").resolve(BuildRecord.FILE),
                new BuildRecord("b", "main", COMMIT, "app", 2010, "b-1", Instant.parse("2026-11-28T13:00:00Z")));
        server = new OperatorServer(new InetSocketAddress("127.0.0.1", 0), triggers, auth, null, null)
                .withPromotions(layout, Clock.systemUTC(), triggers, auth);
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    HttpResponse<String> call(String method, String path, String body, Map<String, String> headers) throws Exception {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(Duration.ofSeconds(10)).method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> approve(String body, Map<String, String> headers) throws Exception {
        return call("POST", "/api/approve", body, headers);
    }

    Map<String, String> signed(String body) {
        return Map.of(WebhookAuth.GENERIC, "sha256=" + auth.hmac(body.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void historyServesTheNewestEntriesLastUpToTheLimit() throws Exception {
        var history = new PromotionHistory(layout, revision -> Optional.empty());
        for (int i = 0; i < 60; i++) {
            history.told(new PromotionEvent(PromotionEvent.Kind.SUCCEEDED, Instant.parse("2026-11-28T14:00:00Z").plusSeconds(i),
                    "rev" + i, Optional.empty(), Optional.of("a"), Optional.of("b"), "git",
                    Optional.of(Duration.ofMillis(812)), "ok"));
        }

        JsonNode all = HostFiles.JSON.readTree(call("GET", "/api/history", null, Map.of()).body()).path("entries");
        JsonNode three = HostFiles.JSON.readTree(call("GET", "/api/history?limit=3", null, Map.of()).body()).path("entries");

        assertThat(all).hasSize(50);
        assertThat(three).hasSize(3);
        JsonNode last = three.get(2);
        assertThat(last.path("revision").asText()).isEqualTo("rev59");
        assertThat(last.path("at").asText()).isEqualTo("2026-11-28T14:00:59Z");
        assertThat(last.path("signer").isNull()).isTrue();
        assertThat(last.path("from").asText()).isEqualTo("a");
        assertThat(last.path("to").asText()).isEqualTo("b");
        assertThat(last.path("trigger").asText()).isEqualTo("git");
        assertThat(last.path("durationMillis").asLong()).isEqualTo(812);
        assertThat(last.path("result").asText()).isEqualTo("succeeded");
        assertThat(last.path("reason").asText()).isEqualTo("ok");
        assertThat(call("GET", "/api/history?limit=0", null, Map.of()).statusCode()).isEqualTo(400);
        assertThat(call("GET", "/api/history?limit=x", null, Map.of()).statusCode()).isEqualTo(400);
        assertThat(call("POST", "/api/history", "{}", Map.of()).statusCode()).isEqualTo(405);
    }

    @Test
    void anApprovalWithoutAValidSignatureIs401AndChangesNothing() throws Exception {
        String body = "{\"build\": \"b\", \"by\": \"mallory\"}";
        assertThat(approve(body, Map.of()).statusCode()).isEqualTo(401);
        assertThat(approve(body, Map.of(WebhookAuth.GENERIC, "sha256=" + "0".repeat(64))).statusCode()).isEqualTo(401);
        assertThat(approve(body, Map.of(WebhookAuth.GITLAB, "wrong")).statusCode()).isEqualTo(401);
        assertThat(approve(body, signed("{\"build\": \"b\", \"by\": \"alice\"}")).statusCode()).isEqualTo(401);
        assertThat(Approvals.file(layout)).doesNotExist();
        assertThat(triggers.pending()).isFalse();

        assertThat(approve("{\"build\": \"b\", \"by\": \"alice\"}", signed("{\"build\": \"b\", \"by\": \"alice\"}"))
                .statusCode()).isEqualTo(202);
        byte[] approved = Files.readAllBytes(Approvals.file(layout));
        assertThat(approve(body, Map.of()).statusCode()).isEqualTo(401);
        assertThat(Files.readAllBytes(Approvals.file(layout))).isEqualTo(approved);
    }

    @Test
    void aSignedApprovalRecordsWhoApprovedWhichCommitAndTriggersAReconcile() throws Exception {
        String body = "{\"build\": \"b\", \"by\": \"alice\"}";

        var response = approve(body, signed(body));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        var approval = Approvals.read(layout, "b").orElseThrow();
        assertThat(approval.commit()).isEqualTo(COMMIT);
        assertThat(approval.by()).isEqualTo("alice");
        assertThat(Approvals.read(layout, "c")).isEmpty();
        assertThat(triggers.pending()).isTrue();
        assertThat(triggers.await(Duration.ZERO)).isEqualTo("approval of build b by alice");
        assertThat(approve("{\"build\": \"b\", \"by\": \"carol\"}", Map.of(WebhookAuth.GITLAB, "secret")).statusCode())
                .isEqualTo(202);
        assertThat(Approvals.read(layout, "b").orElseThrow().by()).isEqualTo("carol");
    }

    @Test
    void anApprovalOfABuildThatIsNotOnTheHostOrABadBodyIsRefused() throws Exception {
        for (String body : new String[] {"{\"build\": \"c\", \"by\": \"alice\"}", "{\"build\": \"../b\"}"}) {
            assertThat(approve(body, signed(body)).statusCode()).as(body).isEqualTo(409);
        }
        for (String body : new String[] {"not json", "{\"by\": \"alice\"}", "{\"build\": 3}"}) {
            assertThat(approve(body, signed(body)).statusCode()).as(body).isEqualTo(400);
        }
        assertThat(Approvals.file(layout)).doesNotExist();
        assertThat(call("GET", "/api/approve", null, Map.of()).statusCode()).isEqualTo(405);
    }
}
