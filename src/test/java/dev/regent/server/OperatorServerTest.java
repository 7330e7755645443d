package dev.regent.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.regent.docker.DockerPort;
import dev.regent.fs.HostLayout;
import dev.regent.gitops.Revision;
import dev.regent.gitops.WebhookAuth;
import dev.regent.observe.ObservedHost;
import dev.regent.observe.Observer;
import dev.regent.reconcile.Outcome;
import dev.regent.reconcile.TriggerQueue;
import dev.regent.spec.LoadResult;
import dev.regent.spec.SpecLoader;
import dev.regent.uwsgi.StatsReader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real server on a loopback port, over a real (empty) host folder. */
class OperatorServerTest {
    @TempDir
    Path root;
    OperatorServer server;
    Metrics metrics = new Metrics(Clock.systemUTC());
    TriggerQueue triggers = new TriggerQueue();
    HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() {
        var state = ((LoadResult.Valid) SpecLoader.parse(Path.of("desired-state.yaml"), """
                apiVersion: regent/v1
                kind: Host
                metadata: {name: demo}
                spec:
                  source: {repo: ., path: app}
                  builds: {a: {ref: HEAD}}
                  live: a
                """)).state();
        var layout = new HostLayout(root);
        var observer = new Observer(layout, DockerPort.none(), new StatsReader(Duration.ofMillis(100)));
        var report = new StatusReport(() -> Optional.of(new Revision(state, "file")),
                d -> observer.observeFiles(new ObservedHost.Containers(true, true)), layout, Clock.systemUTC());
        server = new OperatorServer(new InetSocketAddress("127.0.0.1", 0), triggers,
                new WebhookAuth(Optional.of("secret")), report, metrics);
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    HttpResponse<String> call(String method, String path, Map<String, String> headers) throws Exception {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .method(method, method.equals("GET") ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString("{}"));
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void statusReportsDesiredAgainstObservedWithConditions() throws Exception {
        var response = call("GET", "/api/status", Map.of());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
        assertThat(response.body()).contains("\"converged\" : false", "\"desiredLive\" : \"a\"", "\"type\" : \"Ready\"",
                "\"type\" : \"Degraded\"", "create build a");
    }

    @Test
    void metricsCountReconcilesInPrometheusTextFormat() throws Exception {
        metrics.ended(new Outcome.Converged(2));

        var response = call("GET", "/metrics", Map.of());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("regent_reconciles_total{outcome=\"converged\"} 1.0",
                "# TYPE regent_last_successful_reconcile_timestamp_seconds gauge");
    }

    @Test
    void readPathsRefuseOtherMethodsAndUnknownPathsAre404() throws Exception {
        for (String path : List.of("/", "/api/status", "/metrics", "/healthz")) {
            assertThat(call("POST", path, Map.of()).statusCode()).as(path).isEqualTo(405);
            assertThat(call("DELETE", path, Map.of()).statusCode()).as(path).isEqualTo(405);
        }
        assertThat(call("GET", "/nope", Map.of()).statusCode()).isEqualTo(404);
        assertThat(call("GET", "/api/status/x", Map.of()).statusCode()).isEqualTo(404);
        assertThat(call("GET", "/webhook", Map.of()).statusCode()).isEqualTo(405);
        assertThat(call("GET", "/", Map.of()).body()).containsIgnoringCase("<title>").contains("Regent");
    }

    @Test
    void webhookNeedsTheSecretAndOnlyNudgesTheLoop() throws Exception {
        assertThat(call("POST", "/webhook", Map.of()).statusCode()).isEqualTo(401);
        assertThat(triggers.pending()).isFalse();

        var signed = call("POST", "/webhook", Map.of(WebhookAuth.GITLAB, "secret"));

        assertThat(signed.statusCode()).isEqualTo(202);
        assertThat(triggers.pending()).isTrue();
    }
}
