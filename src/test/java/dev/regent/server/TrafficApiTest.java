package dev.regent.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.regent.fs.HostFiles;
import dev.regent.fs.HostLayout;
import dev.regent.gitops.WebhookAuth;
import dev.regent.reconcile.TriggerQueue;
import dev.regent.time.FakeClock;
import dev.regent.traffic.LoggedRequest;
import dev.regent.traffic.TrafficWindow;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GET /api/traffic and the regent_http_* metrics on the real server, over a window with a fixed clock. */
class TrafficApiTest {
    static final Instant NOW = Instant.parse("2026-11-28T14:00:00Z");
    @TempDir
    Path root;
    final FakeClock clock = new FakeClock(NOW);
    final TrafficWindow window = new TrafficWindow(clock);
    final Metrics metrics = new Metrics(Clock.systemUTC());
    final HttpClient http = HttpClient.newHttpClient();
    OperatorServer server;

    @BeforeEach
    void start() {
        var report = new StatusReport(Optional::empty, d -> null, new HostLayout(root), Clock.systemUTC());
        server = new OperatorServer(new InetSocketAddress("127.0.0.1", 0), new TriggerQueue(),
                new WebhookAuth(Optional.empty()), report, metrics);
        server.serveTraffic(window);
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    void logged(String line) {
        var request = LoggedRequest.parse(line).orElseThrow();
        window.record(request);
        metrics.request(request);
    }

    HttpResponse<String> call(String method, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(Duration.ofSeconds(10)).method(method, HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void trafficServesEachBuildsStepsOfFiveSeconds() throws Exception {
        long t = NOW.getEpochSecond() - 10;
        for (int i = 0; i < 10; i++) {
            logged(t + "." + i + "00 " + (i == 0 ? 500 : 200) + " 0.030 8080 a");
        }
        logged(t + ".000 404 0.002 8081 b");

        var response = call("GET", "/api/traffic?minutes=15");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
        JsonNode json = HostFiles.JSON.readTree(response.body());
        assertThat(json.path("step").asInt()).isEqualTo(5);
        assertThat(json.path("builds").size()).isEqualTo(2);
        JsonNode a = json.path("builds").path("a");
        assertThat(a.size()).isEqualTo(180);
        JsonNode busy = a.get(177);
        assertThat(busy.path("t").asLong()).isEqualTo(t);
        assertThat(busy.path("rps").asDouble()).isEqualTo(2.0);
        assertThat(busy.path("errorRate").asDouble()).isEqualTo(0.1);
        assertThat(busy.path("p99").asDouble()).isBetween(28.5, 31.5);
        assertThat(a.get(179).toString()).isEqualTo("{\"t\":" + NOW.getEpochSecond() + ",\"rps\":0.0,\"errorRate\":0.0,\"p99\":0.0}");
        assertThat(json.path("builds").path("b").get(177).path("errorRate").asDouble()).as("a 404 is no error").isZero();

        assertThat(HostFiles.JSON.readTree(call("GET", "/api/traffic?minutes=1").body()).path("builds").path("a").size())
                .isEqualTo(12);
        assertThat(HostFiles.JSON.readTree(call("GET", "/api/traffic").body()).path("builds").path("a").size())
                .as("15 minutes by default").isEqualTo(180);
    }

    @Test
    void trafficRefusesOtherMethodsPathsAndSpans() throws Exception {
        assertThat(call("POST", "/api/traffic").statusCode()).isEqualTo(405);
        assertThat(call("GET", "/api/traffic/a").statusCode()).isEqualTo(404);
        for (String minutes : new String[] {"0", "16", "x", ""}) {
            assertThat(call("GET", "/api/traffic?minutes=" + minutes).statusCode()).as(minutes).isEqualTo(400);
        }
        assertThat(call("GET", "/api/status").statusCode()).as("the other routes stay").isEqualTo(200);
    }

    @Test
    void metricsCountLoggedRequestsPerBuildAndStatusClassWithTheirDurations() throws Exception {
        logged("1764337200.000 200 0.004 8080 a");
        logged("1764337200.001 201 0.020 8080 a");
        logged("1764337200.002 404 0.004 8080 a");
        logged("1764337200.003 500 2.000 8080 b");

        String body = call("GET", "/metrics").body();

        assertThat(body).contains("regent_http_requests_total{build=\"a\",code=\"2xx\"} 2.0",
                "regent_http_requests_total{build=\"a\",code=\"4xx\"} 1.0",
                "regent_http_requests_total{build=\"b\",code=\"5xx\"} 1.0",
                "# TYPE regent_http_request_duration_seconds histogram",
                "regent_http_request_duration_seconds_bucket{build=\"a\",le=\"0.005\"} 2",
                "regent_http_request_duration_seconds_bucket{build=\"a\",le=\"0.025\"} 3",
                "regent_http_request_duration_seconds_count{build=\"b\"} 1",
                "regent_http_request_duration_seconds_sum{build=\"b\"} 2.0");
        assertThat(body).doesNotContain("build=\"a\",code=\"5xx\"");
    }
}
