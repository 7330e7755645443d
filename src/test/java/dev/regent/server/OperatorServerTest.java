package dev.regent.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.regent.docker.DockerPort;
import dev.regent.fs.HostFiles;
import dev.regent.fs.HostLayout;
import dev.regent.gitops.Revision;
import dev.regent.gitops.WebhookAuth;
import dev.regent.observe.ObservedHost;
import dev.regent.observe.Observer;
import dev.regent.reconcile.LoopHealth;
import dev.regent.reconcile.Outcome;
import dev.regent.reconcile.TriggerQueue;
import dev.regent.spec.DesiredState;
import dev.regent.spec.SpecTexts;
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

    LoopHealth loop = new LoopHealth();
    OperatorServer failing;

    static final DesiredState STATE = SpecTexts.valid(SpecTexts.ONE_BUILD_HOST);

    @BeforeEach
    void start() {
        var layout = new HostLayout(root);
        var observer = new Observer(layout, new dev.regent.docker.NoDocker(), new StatsReader(Duration.ofMillis(100)));
        var report = new StatusReport(() -> Optional.of(new Revision(STATE, "file")),
                d -> observer.observeFiles(new ObservedHost.Containers(true, true)), layout, Clock.systemUTC(), loop);
        server = new OperatorServer(new InetSocketAddress("127.0.0.1", 0), triggers,
                new WebhookAuth(Optional.of("secret")), report, metrics, loop);
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
        if (failing != null) {
            failing.close();
        }
    }

    HttpResponse<String> call(String method, String path, Map<String, String> headers) throws Exception {
        return call(server, method, path, headers);
    }

    /** A second server whose every observation of the host throws {@code failure}. */
    OperatorServer failingWith(Throwable failure) {
        var report = new StatusReport(() -> Optional.of(new Revision(STATE, "file")), d -> {
            if (failure instanceof Error error) {
                throw error;
            }
            throw (RuntimeException) failure;
        }, new HostLayout(root), Clock.systemUTC(), loop);
        failing = new OperatorServer(new InetSocketAddress("127.0.0.1", 0), triggers,
                new WebhookAuth(Optional.of("secret")), report, metrics, loop);
        failing.start();
        return failing;
    }

    HttpResponse<String> call(OperatorServer target, String method, String path, Map<String, String> headers) throws Exception {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + target.port() + path)).timeout(Duration.ofSeconds(10))
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

    @Test
    void statusAndMetricsAnswer503WithAReasonWhileDockerIsUnavailable() throws Exception {
        var docker = failingWith(new DockerPort.DockerUnavailable("Cannot connect to the Docker daemon",
                new java.io.IOException("Connection refused")));

        for (String path : List.of("/api/status", "/metrics")) {
            var response = call(docker, "GET", path, Map.of());

            assertThat(response.statusCode()).as(path).isEqualTo(503);
            assertThat(response.headers().firstValue("Content-Type")).as(path).contains("application/json");
            assertThat(HostFiles.JSON.readTree(response.body()).path("error").asText()).as(path)
                    .isEqualTo("Docker is unavailable: Cannot connect to the Docker daemon");
        }
        assertThat(call(docker, "GET", "/healthz", Map.of()).statusCode()).isEqualTo(200);
    }

    @Test
    void anyOtherFailureOfAHandlerAnswers500WithAReasonEvenAnError() throws Exception {
        var broken = failingWith(new NoClassDefFoundError("dev/regent/status/HostStatus$Build"));

        for (String path : List.of("/api/status", "/metrics")) {
            var response = call(broken, "GET", path, Map.of());

            assertThat(response.statusCode()).as(path).isEqualTo(500);
            assertThat(HostFiles.JSON.readTree(response.body()).path("error").asText()).as(path)
                    .isEqualTo("java.lang.NoClassDefFoundError: dev/regent/status/HostStatus$Build");
        }
        var unreadable = failingWith(new java.io.UncheckedIOException("could not list deploy/builds",
                new java.io.IOException("Input/output error \"quoted\"\n")));
        var response = call(unreadable, "GET", "/api/status", Map.of());
        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(HostFiles.JSON.readTree(response.body()).path("error").asText())
                .isEqualTo("java.io.UncheckedIOException: could not list deploy/builds: Input/output error \"quoted\"\n");
    }

    @Test
    void aFailingLoopPassShowsAsDegradedLoopErrorAndInHealthzUntilAPassGoesThrough() throws Exception {
        loop.running();
        loop.failed("save the source's status", "UncheckedIOException: could not write deploy/run/gitops.json",
                java.time.Instant.now());

        var status = HostFiles.JSON.readTree(call("GET", "/api/status", Map.of()).body());
        var degraded = java.util.stream.StreamSupport.stream(status.path("conditions").spliterator(), false)
                .filter(c -> c.path("type").asText().equals("Degraded")).findFirst().orElseThrow();
        assertThat(degraded.path("status").asText()).isEqualTo("True");
        assertThat(degraded.path("reason").asText()).isEqualTo("LoopError");
        assertThat(degraded.path("message").asText()).isEqualTo(
                "the loop could not save the source's status: UncheckedIOException: could not write deploy/run/gitops.json");
        var health = call("GET", "/healthz", Map.of());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).startsWith("ok, but the loop could not save the source's status");

        loop.passed();

        assertThat(call("GET", "/healthz", Map.of()).body()).isEqualTo("ok\n");
        assertThat(call("GET", "/api/status", Map.of()).body()).doesNotContain("LoopError");
    }

    @Test
    void healthzAnswers503OnceTheLoopHasStopped() throws Exception {
        assertThat(call("GET", "/healthz", Map.of()).statusCode()).isEqualTo(200);

        loop.stopped();

        var response = call("GET", "/healthz", Map.of());
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.body()).contains("the reconcile loop has stopped");
    }
}
