package dev.regent.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.regent.fs.HostFiles;
import dev.regent.fs.HostLayout;
import dev.regent.gitops.Revision;
import dev.regent.gitops.WebhookAuth;
import dev.regent.observe.ObservedHost;
import dev.regent.observe.Observer;
import dev.regent.reconcile.TriggerQueue;
import dev.regent.server.Metrics;
import dev.regent.server.OperatorServer;
import dev.regent.server.StatusReport;
import dev.regent.spec.LoadResult;
import dev.regent.spec.SpecLoader;
import dev.regent.uwsgi.StatsReader;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The dashboard's traffic plots in a real headless Chromium: the page comes from the operator's
 * real server (over a plain folder, no Docker), /api/traffic and /api/history from a fake in
 * front of it with the shapes the operator serves. The plots draw each build's points, a marker
 * per promotion and a differently colored one per rollback, live, and say so when there is no
 * data. With -Dregent.screenshot=PATH the page with data is saved there as a PNG
 * (bin/dashboard-screenshot).
 */
class TrafficPlotsE2E {
    static final int STEP = 5;
    static final List<String> METRICS = List.of("rps", "errorRate", "p99");

    @TempDir
    Path root;
    HeadlessChromium chromium;
    OperatorServer operator;
    HttpServer front;
    WebDriver driver;
    final Instant now = Instant.now();
    /** The fake's answers; null answers 404, as an operator without the endpoint does. */
    final AtomicReference<Object> traffic = new AtomicReference<>();
    final AtomicReference<Object> history = new AtomicReference<>();

    @BeforeEach
    void start() throws Exception {
        var state = ((LoadResult.Valid) SpecLoader.parse(Path.of("desired-state.yaml"), """
                apiVersion: regent/v1
                kind: Host
                metadata: {name: demo}
                spec:
                  source: {repo: ., path: app}
                  builds: {a: {ref: HEAD}, b: {ref: HEAD}}
                  live: a
                  stage: b
                """)).state();
        var layout = new HostLayout(root);
        Files.createDirectories(layout.build("a"));
        Files.createDirectories(layout.build("b"));
        Files.createSymbolicLink(layout.role(HostLayout.LIVE), Path.of("a"));
        Files.createSymbolicLink(layout.role(HostLayout.STAGE), Path.of("b"));
        var observer = new Observer(layout, new dev.regent.docker.NoDocker(), new StatsReader(Duration.ofMillis(100)));
        var report = new StatusReport(() -> Optional.of(new Revision(state, "file")),
                d -> observer.observeFiles(new ObservedHost.Containers(true, true)), layout, Clock.systemUTC());
        operator = new OperatorServer(new InetSocketAddress("127.0.0.1", 0), new TriggerQueue(),
                new WebhookAuth(Optional.empty()), report, new Metrics(Clock.systemUTC()));
        operator.start();
        front = fakeInFrontOf(operator.port());
        front.start();

        chromium = HeadlessChromium.open(new Dimension(1366, 1180), "--hide-scrollbars");
        driver = chromium.driver;
    }

    @AfterEach
    void stop() throws Exception {
        try {
            if (chromium != null) {
                chromium.close();
            }
        } finally {
            front.stop(0);
            operator.close();
        }
    }

    @Test
    void plotsDrawEachBuildsPointsAndMarkEachPromotionAndRollbackWithoutAReload() throws Exception {
        driver.get("http://127.0.0.1:" + front.getAddress().getPort() + "/");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(plotsState()).isEqualTo("unavailable");
            assertThat(text("plots")).contains("Traffic figures unavailable (HTTP 404)");
        });
        js().executeScript("window.regentMarker = 13;");

        traffic.set(Map.of("step", STEP, "builds", Map.of()));
        history.set(Map.of("entries", List.of()));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(plotsState()).isEqualTo("empty");
            assertThat(count("svg[data-metric] path.series")).isZero();
            assertThat(count("svg[data-metric]")).isEqualTo(3);
            assertThat(text("plots")).contains("no requests in the last 15 minutes");
        });

        // a served the last ten minutes: 120 steps of 5 s.
        Instant promoted = now.minusSeconds(180);
        Instant rolledBack = now.minusSeconds(60);
        traffic.set(figures(Map.of("a", List.of(new Span(now.minusSeconds(600), now, 20, 0.002, 35)))));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(plotsState()).isEqualTo("data");
            assertThat(pointsPerPlot("a")).isEqualTo(Map.of("rps", 120L, "errorRate", 120L, "p99", 120L));
            assertThat(count("g.marker")).isZero();
            assertThat(text("legend")).contains("a", "b", "promotion", "rollback");
        });

        history.set(Map.of("entries", List.of(entry(promoted, "a", "b", "file", "succeeded", null))));
        traffic.set(figures(Map.of(
                "a", List.of(new Span(now.minusSeconds(600), promoted, 20, 0.002, 35)),
                "b", List.of(new Span(promoted, now, 21, 0.05, 120)))));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(markers()).containsExactly(
                    "rps promotion a b", "errorRate promotion a b", "p99 promotion a b");
            assertThat(pointsPerPlot("b")).isEqualTo(Map.of("rps", 36L, "errorRate", 36L, "p99", 36L));
            assertThat(pointsPerPlot("a")).isEqualTo(Map.of("rps", 84L, "errorRate", 84L, "p99", 84L));
        });

        history.set(Map.of("entries", List.of(entry(promoted, "a", "b", "file", "succeeded", null),
                entry(rolledBack, "b", "a", "automatic rollback", "rolled back", "error rate 5.0% over 1.0%"))));
        traffic.set(figures(Map.of(
                "a", List.of(new Span(now.minusSeconds(600), promoted, 20, 0.002, 35), new Span(rolledBack, now, 20, 0.002, 36)),
                "b", List.of(new Span(promoted, rolledBack, 21, 0.05, 120)))));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(markers()).containsExactly(
                    "rps promotion a b", "rps rollback b a", "errorRate promotion a b", "errorRate rollback b a",
                    "p99 promotion a b", "p99 rollback b a");
            assertThat(pointsPerPlot("a")).isEqualTo(Map.of("rps", 96L, "errorRate", 96L, "p99", 96L));
        });
        assertThat(markerColor("promotion")).isNotEqualTo(markerColor("rollback"));
        assertThat(seriesColor("a")).isNotEqualTo(seriesColor("b"));
        assertThat(((Number) js().executeScript("return window.regentMarker;")).intValue()).as("no reload").isEqualTo(13);

        String screenshot = System.getProperty("regent.screenshot", "");
        if (!screenshot.isBlank()) {
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(text("builds")).contains("live", "stage"));
            Path png = Path.of(screenshot).toAbsolutePath();
            Files.createDirectories(png.getParent());
            Files.write(png, ((ChromeDriver) driver).getScreenshotAs(OutputType.BYTES));
            assertThat(Files.readAllBytes(png)).startsWith(0x89, 'P', 'N', 'G');
        }
    }

    /** A build's steady figures from one time to another, one point per step. */
    record Span(Instant from, Instant to, double rps, double errorRate, double p99) {
    }

    private static Map<String, Object> figures(Map<String, List<Span>> spans) {
        var builds = new LinkedHashMap<String, Object>();
        spans.forEach((build, list) -> {
            var points = new ArrayList<Map<String, Object>>();
            for (Span s : list) {
                long first = s.from().getEpochSecond() / STEP * STEP;
                for (long t = first, i = 0; t < s.to().getEpochSecond() / STEP * STEP; t += STEP, i++) {
                    double wave = 1 + 0.15 * Math.sin(i / 4.0) + 0.05 * Math.cos(i * 1.7);
                    points.add(Map.of("t", t, "rps", s.rps() * wave, "errorRate", s.errorRate() * wave, "p99", s.p99() * wave));
                }
            }
            builds.put(build, points);
        });
        return Map.of("step", STEP, "builds", builds);
    }

    private static Map<String, Object> entry(Instant at, String from, String to, String trigger, String result, String reason) {
        var entry = new LinkedHashMap<String, Object>();
        entry.put("at", at.toString());
        entry.put("revision", "file:9f2c41d7e0b3");
        entry.put("signer", null);
        entry.put("from", from);
        entry.put("to", to);
        entry.put("trigger", trigger);
        entry.put("durationMillis", 812);
        entry.put("result", result);
        entry.put("reason", reason);
        return entry;
    }

    /** Serves the fake API answers and relays everything else to the operator's server. */
    private HttpServer fakeInFrontOf(int operatorPort) throws IOException {
        var server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        var client = HttpClient.newHttpClient();
        server.createContext("/api/traffic", exchange -> answer(exchange, traffic.get()));
        server.createContext("/api/history", exchange -> answer(exchange, history.get()));
        server.createContext("/", exchange -> {
            try (exchange) {
                var relayed = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + operatorPort
                        + exchange.getRequestURI())).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
                relayed.headers().firstValue("Content-Type").ifPresent(v -> exchange.getResponseHeaders().set("Content-Type", v));
                exchange.sendResponseHeaders(relayed.statusCode(), relayed.body().length);
                exchange.getResponseBody().write(relayed.body());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        return server;
    }

    private static void answer(HttpExchange exchange, Object body) throws IOException {
        try (exchange) {
            byte[] bytes = body == null ? "not found\n".getBytes() : HostFiles.JSON.writeValueAsBytes(body);
            exchange.getResponseHeaders().set("Content-Type", body == null ? "text/plain" : "application/json");
            exchange.sendResponseHeaders(body == null ? 404 : 200, bytes.length);
            exchange.getResponseBody().write(bytes);
        }
    }

    private String plotsState() {
        return (String) js().executeScript("return document.getElementById('traffic').dataset.state;");
    }

    @SuppressWarnings("unchecked")
    private Map<String, Long> pointsPerPlot(String build) {
        return (Map<String, Long>) js().executeScript("""
                const out = {};
                for (const p of document.querySelectorAll('svg[data-metric] path.series[data-build="' + arguments[0] + '"]'))
                  out[p.closest('svg').dataset.metric] = Number(p.dataset.points);
                return out;
                """, build);
    }

    /** Each drawn marker as "metric kind from to", in document order. */
    @SuppressWarnings("unchecked")
    private List<String> markers() {
        return (List<String>) js().executeScript("""
                return [...document.querySelectorAll('svg[data-metric] g.marker')].map(g =>
                  [g.closest('svg').dataset.metric, g.dataset.kind, g.dataset.from, g.dataset.to].join(' '));
                """);
    }

    private String markerColor(String kind) {
        return (String) js().executeScript(
                "return document.querySelector('g.marker[data-kind=\"' + arguments[0] + '\"] line').getAttribute('stroke');", kind);
    }

    private String seriesColor(String build) {
        return (String) js().executeScript(
                "return document.querySelector('path.series[data-build=\"' + arguments[0] + '\"]').getAttribute('stroke');", build);
    }

    private long count(String selector) {
        return ((Number) js().executeScript("return document.querySelectorAll(arguments[0]).length;", selector)).longValue();
    }

    private String text(String id) {
        return String.valueOf(js().executeScript("return document.getElementById(arguments[0]).textContent.replace(/\\s+/g, ' ');", id));
    }

    private JavascriptExecutor js() {
        return (JavascriptExecutor) driver;
    }
}
