package dev.regent.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.regent.apply.Provenance;
import dev.regent.testing.LoopbackPorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * Notifications and the dashboard's plots on the real stack under `regent run --listen`, the
 * desired-state file naming a generic JSON webhook receiver that runs in this JVM. The dashboard in
 * headless Chromium draws each build's points and the promotion's marker after load and a real
 * promotion (with -Dregent.screenshot=PATH it is saved there: bin/dashboard-screenshot). Over 20
 * promotions (each a new file content, so a new revision) and repeated rewrites of the same file,
 * the receiver gets exactly one correctly signed notice per event and revision. With the receiver
 * refusing connections, or accepting them and never answering, promotions take as long as with it up,
 * and status shows the receiver failing.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NotifyE2E {
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();
    private static final String SECRET = "notify-e2e-hmac-key";
    private static final String BUILDS = "    a: {ref: HEAD}\n    b: {ref: HEAD}\n";
    private static final int PROMOTIONS = 20;
    private static final int DEAD_PROMOTIONS = 8;
    static Stack stack;
    static NoticeReceiver receiver;
    static int api;
    static Path log;
    /** The number written into the file as a comment: each promotion is a new file content. */
    static int promotion;
    static final List<Long> upMillis = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        receiver = new NoticeReceiver(SECRET);
        stack = Stack.create(desired("a", "b", 0));
        stack.write("deploy/secrets/ci-url", receiver.url() + "\n");
        stack.write("deploy/secrets/ci-hmac", SECRET + "\n");
        stack.up();
        api = LoopbackPorts.reserve();
        log = Files.createTempFile("regent-notify", ".log");
        stack.startLoop(log, Map.of(), "run", "--resync", "2", "--listen", "127.0.0.1:" + api);
    }

    @AfterAll
    static void stop() {
        try {
            if (receiver != null) {
                receiver.close();
            }
        } finally {
            if (stack != null) {
                stack.close();
            }
        }
    }

    private static String desired(String live, String stage, int n) {
        return Stack.desiredState("PROJECT", BUILDS, live, stage) + """
                  notifications:
                    - {name: ci, kind: webhook, urlFile: deploy/secrets/ci-url, secretFile: deploy/secrets/ci-hmac}
                # promotion %d
                """.formatted(n);
    }

    @Test
    @Order(1)
    void dashboardPlotsDrawTheTrafficOfEachBuildAndThePromotionMarker() throws Exception {
        String screenshot = System.getProperty("regent.screenshot", "");
        // For the README's picture, minutes of traffic on each side of the promotion; for the check, seconds.
        int stepsBefore = screenshot.isBlank() ? 4 : 36;
        int stepsAfter = screenshot.isBlank() ? 3 : 24;
        Load load = Load.start(stack.livePort, "/", 2, 5 * (stepsBefore + stepsAfter) + 240);
        ChromeSession browser = null;
        try {
            await().atMost(Duration.ofSeconds(5L * stepsBefore + 90)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> stepsServed("a") >= stepsBefore);
            promote("b", "a");
            await().atMost(Duration.ofSeconds(5L * stepsAfter + 90)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> stepsServed("b") >= stepsAfter);

            browser = ChromeSession.open();
            browser.driver.get("http://127.0.0.1:" + api + "/");
            var page = browser;
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                assertThat(page.string("return document.getElementById('traffic').dataset.state;")).isEqualTo("data");
                for (String build : List.of("a", "b")) {
                    assertThat(page.pointsAboveZero(build)).as(build + "'s points drawn above zero, per plot")
                            .containsOnlyKeys("rps", "errorRate", "p99")
                            .hasEntrySatisfying("rps", n -> assertThat(n).isPositive())
                            .hasEntrySatisfying("p99", n -> assertThat(n).isPositive());
                }
                assertThat(page.markers()).as("markers").contains("rps promotion a b", "errorRate promotion a b", "p99 promotion a b");
                assertThat(page.string("return document.getElementById('host-state').textContent.trim();")).isEqualTo("Converged");
            });
            System.out.printf("dashboard plots: points above zero a %s, b %s; markers %s%n", page.pointsAboveZero("a"),
                    page.pointsAboveZero("b"), page.markers());
            if (!screenshot.isBlank()) {
                Path png = Path.of(screenshot).toAbsolutePath();
                Files.createDirectories(png.getParent());
                Files.write(png, page.driver.getScreenshotAs(OutputType.BYTES));
                assertThat(Files.readAllBytes(png)).startsWith(0x89, 'P', 'N', 'G');
                System.out.println("dashboard screenshot: " + png);
            }
        } finally {
            if (browser != null) {
                browser.close();
            }
            var result = load.stop();
            System.out.println("load on live during the dashboard check: " + result.line());
        }
    }

    @Test
    @Order(2)
    void theReceiverGetsExactlyOneSignedNoticePerEventAndRevision() {
        var revisions = new ArrayList<String>();
        for (int i = 0; i < PROMOTIONS; i++) {
            upMillis.add(flip());
            revisions.add(revision());
        }
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(receiver.countsByEventAndRevision().keySet())
                .containsAll(revisions.stream().flatMap(r -> java.util.stream.Stream.of("started " + r, "succeeded " + r)).toList()));
        // Time for a duplicate to arrive: the loop resyncs every 2 s, a retry comes 2 s after a failure.
        await().during(Duration.ofSeconds(8)).atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(receiver.countsByEventAndRevision()).as("notices per (event, revision)")
                        .allSatisfy((key, n) -> assertThat(n).as(key).isEqualTo(1)));

        var counts = receiver.countsByEventAndRevision();
        System.out.printf("%d promotions: %d notices for %d (event, revision) pairs, at most %d each%n", PROMOTIONS,
                receiver.notices.size(), counts.size(), counts.values().stream().mapToLong(Long::longValue).max().orElse(0));
        assertThat(counts).as("notices per (event, revision)").allSatisfy((key, n) -> assertThat(n).as(key).isEqualTo(1));
        assertThat(receiver.each(NoticeReceiver.Notice::signed)).as("each X-Regent-Signature is the body's HMAC").containsOnly(true);
        assertThat(receiver.notices).allSatisfy(n -> assertThat(n.delivery()).isEqualTo(n.id()));
        assertThat(receiver.notices).filteredOn(n -> revisions.contains(n.revision()))
                .extracting(NoticeReceiver.Notice::event).containsOnly("started", "succeeded").hasSize(2 * PROMOTIONS);
    }

    @Test
    @Order(3)
    void aDeadOrHangingReceiverDelaysNoPromotion() throws Exception {
        receiver.close();
        var refusedMillis = new ArrayList<Long>();
        for (int i = 0; i < DEAD_PROMOTIONS; i++) {
            refusedMillis.add(flip());
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(stack.regent("status").output())
                .containsPattern("notifications: ci \\(webhook\\): \\d+ queued, \\d+ sent, .*last failed .*connection refused"));
        assertThat(stack.get(api, "/api/status").body()).contains("\"lastError\" : \"connection refused");

        var hangingMillis = new ArrayList<Long>();
        try (var hanging = new HangingReceiver()) {
            stack.write("deploy/secrets/ci-url", hanging.url() + "\n");
            for (int i = 0; i < DEAD_PROMOTIONS; i++) {
                hangingMillis.add(flip());
            }
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(stack.regent("status").output())
                    .containsPattern("notifications: ci \\(webhook\\): .*last failed .*timed out"));
            assertThat(hanging.accepted()).as("connections the hanging receiver took").isPositive();
        }

        Stats up = Stats.of(upMillis);
        Stats refused = Stats.of(refusedMillis);
        Stats hung = Stats.of(hangingMillis);
        System.out.printf("promotion latency receiver up: %s; down (connection refused): %s; hanging (never answers): %s%n",
                up, refused, hung);
        assertThat(refused.median()).as("median with the receiver down vs up " + up).isLessThan(up.median() + 1000);
        assertThat(hung.median()).as("median with the receiver hanging vs up " + up).isLessThan(up.median() + 1000);
    }

    /** Swaps live and stage, then rewrites the same file three times (resyncs of one revision); returns the promotion's milliseconds. */
    private static long flip() {
        boolean toB = stack.servedBy(stack.livePort).equals("a");
        long millis = promote(toB ? "b" : "a", toB ? "a" : "b");
        String same = stack.desired();
        for (int resync = 0; resync < 3; resync++) {
            writeAtomically(same);
        }
        return millis;
    }

    /** Writes the next promotion's file and returns the milliseconds until live serves {@code live}. */
    private static long promote(String live, String stage) {
        String text = desired(live, stage, ++promotion).replace("PROJECT", stack.project);
        long start = System.nanoTime();
        writeAtomically(text);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                .until(() -> stack.servedBy(stack.livePort).equals(live));
        long millis = (System.nanoTime() - start) / 1_000_000;
        await().atMost(Duration.ofSeconds(60)).until(() -> stack.servedBy(stack.stagePort).equals(stage));
        return millis;
    }

    /** By rename, as editors do: the loop never reads a half-written file. */
    private static void writeAtomically(String text) {
        try {
            Path temp = stack.root.resolve(".desired-state.yaml.tmp");
            Files.writeString(temp, text);
            Files.move(temp, stack.root.resolve("desired-state.yaml"), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String revision() {
        return Provenance.fileRevision(stack.desired().getBytes(StandardCharsets.UTF_8));
    }

    /** The 5 s steps in which {@code build} served requests, by /api/traffic. */
    private static int stepsServed(String build) throws IOException {
        int steps = 0;
        for (var point : JSON.readTree(stack.get(api, "/api/traffic?minutes=15").body()).path("builds").path(build)) {
            steps += point.path("rps").asDouble() > 0 ? 1 : 0;
        }
        return steps;
    }

    /** Median and 95th percentile (nearest rank) in milliseconds. */
    record Stats(long median, long p95, int n) {
        static Stats of(List<Long> millis) {
            var sorted = millis.stream().sorted().toList();
            return new Stats(rank(sorted, 0.5), rank(sorted, 0.95), sorted.size());
        }

        private static long rank(List<Long> sorted, double q) {
            return sorted.get(Math.max(0, (int) Math.ceil(q * sorted.size()) - 1));
        }

        @Override
        public String toString() {
            return "median " + median + " ms p95 " + p95 + " ms (" + n + " promotions)";
        }
    }

    /** Accepts connections on a loopback port and never reads or answers them. */
    private static final class HangingReceiver implements AutoCloseable {
        private final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final List<Socket> held = new CopyOnWriteArrayList<>();

        HangingReceiver() throws IOException {
            Thread accepting = new Thread(() -> {
                while (!socket.isClosed()) {
                    try {
                        held.add(socket.accept());
                    } catch (IOException closed) {
                        return;
                    }
                }
            }, "hanging-receiver");
            accepting.setDaemon(true);
            accepting.start();
        }

        String url() {
            return "http://127.0.0.1:" + socket.getLocalPort() + "/hooks/regent";
        }

        int accepted() {
            return held.size();
        }

        @Override
        public void close() throws IOException {
            socket.close();
            for (Socket s : held) {
                s.close();
            }
        }
    }

    /** Headless Chromium (bin/setup-browser) with the page helpers the plot checks use. */
    private static final class ChromeSession implements AutoCloseable {
        final HeadlessChromium chromium;
        final ChromeDriver driver;

        private ChromeSession(HeadlessChromium chromium) {
            this.chromium = chromium;
            this.driver = chromium.driver;
        }

        static ChromeSession open() throws IOException {
            return new ChromeSession(HeadlessChromium.open(new Dimension(1366, 1180), "--hide-scrollbars"));
        }

        String string(String script) {
            return String.valueOf(((JavascriptExecutor) driver).executeScript(script));
        }

        /**
         * Per plot, how many of {@code build}'s drawn points lie above the plot's zero line (its first
         * grid line): the series has a point for every step, zero where the build served nothing.
         */
        @SuppressWarnings("unchecked")
        Map<String, Long> pointsAboveZero(String build) {
            return (Map<String, Long>) ((JavascriptExecutor) driver).executeScript("""
                    const out = {};
                    for (const p of document.querySelectorAll('svg[data-metric] path.series[data-build="' + arguments[0] + '"]')) {
                      const svg = p.closest('svg'), zero = Number(svg.querySelector('line.grid').getAttribute('y1'));
                      const ys = [...p.getAttribute('d').matchAll(/[ML](-?[0-9.]+),(-?[0-9.]+)/g)].map(m => Number(m[2]));
                      out[svg.dataset.metric] = ys.filter(y => y < zero - 0.5).length;
                    }
                    return out;
                    """, build);
        }

        /** Each drawn marker as "metric kind from to", in document order. */
        @SuppressWarnings("unchecked")
        List<String> markers() {
            return (List<String>) ((JavascriptExecutor) driver).executeScript("""
                    return [...document.querySelectorAll('svg[data-metric] g.marker')].map(g =>
                      [g.closest('svg').dataset.metric, g.dataset.kind, g.dataset.from, g.dataset.to].join(' '));
                    """);
        }

        @Override
        public void close() throws Exception {
            chromium.close();
        }
    }
}
