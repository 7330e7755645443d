package dev.regent.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.regent.testing.LoopbackPorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The operator's web dashboard in a real headless Chromium against a real converged stack: it
 * shows each build's role, and a promotion made by editing desired-state.yaml shows up on the
 * same page without a reload. Needs Debian's chromium and chromium-driver (bin/setup-browser).
 * The stack, its loop and the browser are shared; each test first has the loop converge on live
 * a, stage b.
 */
class DashboardE2E {
    static final Path SCREENSHOT = Stack.PROJECT.resolve("target/dashboard-e2e.png");
    static final String DESIRED = Stack.desiredState("PROJECT", "    a: {ref: HEAD}\n    b: {ref: HEAD}\n", "a", "b");
    static Stack stack;
    static Process run;
    static Path log;
    static int port;
    static HeadlessChromium chromium;
    static WebDriver driver;

    @BeforeAll
    static void start() throws Exception {
        assertThat(Files.isExecutable(HeadlessChromium.CHROMIUM) && Files.isExecutable(HeadlessChromium.CHROMEDRIVER))
                .as("run bin/setup-browser").isTrue();
        stack = Stack.create(DESIRED);
        stack.up();
        var apply = stack.regent("apply");
        assertThat(apply.exit()).as(apply.output()).isZero();

        port = LoopbackPorts.reserve();
        log = Files.createTempFile("regent-dashboard-run", ".log");
        run = stack.startRegent(log, "run", "--resync", "5", "--listen", "127.0.0.1:" + port);
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            assertThat(run.isAlive()).as("regent run exited:\n%s", Files.readString(log)).isTrue();
            assertThat(stack.get(port, "/api/status").status()).isEqualTo(200);
        });

        chromium = HeadlessChromium.open(new Dimension(1366, 1000), "--disable-quic");
        driver = chromium.driver;
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (chromium != null) {
                chromium.close();
            }
        } finally {
            try {
                if (run != null) {
                    run.destroy();
                    run.waitFor();
                }
            } finally {
                if (stack != null) {
                    stack.close();
                }
            }
        }
    }

    /** Lists a (live) and b (stage) and waits until the running loop converged on them. */
    static void convergedAB() {
        stack.writeDesired(DESIRED.replace("PROJECT", stack.project));
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            assertThat(run.isAlive()).as("regent run exited:\n%s", Files.readString(log)).isTrue();
            assertThat(stack.servedBy(stack.livePort)).isEqualTo("a");
            assertThat(stack.servedBy(stack.stagePort)).isEqualTo("b");
            assertThat(stack.get(port, "/api/status").body()).contains("\"converged\" : true");
        });
    }

    @Test
    void apiServesTheStatusAndRefusesWhatItDoesNotKnow() {
        var status = stack.get(port, "/api/status");
        assertThat(status.status()).isEqualTo(200);
        assertThat(status.body()).contains("\"converged\"", "\"live\"", "\"builds\"", "\"conditions\"", "\"events\"");
        assertThat(stack.post(port, "/api/status", "{}", Map.of("Content-Type", "application/json")))
                .as("POST /api/status").isEqualTo(405);
        assertThat(stack.get(port, "/no-such-page").status()).as("unknown path").isEqualTo(404);
        assertThat(stack.get(port, "/").body()).contains("host-state");
    }

    @Test
    void dashboardShowsEachBuildsRole() {
        convergedAB();
        driver.get("http://127.0.0.1:" + port + "/");

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(role("a")).isEqualTo("live");
            assertThat(role("b")).isEqualTo("stage");
            assertThat(hostState()).isEqualTo("Converged");
        });
    }

    @Test
    void promotionShowsUpOnTheSamePageWithoutReload() throws Exception {
        convergedAB();
        driver.get("http://127.0.0.1:" + port + "/");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(role("a")).isEqualTo("live");
            assertThat(role("b")).isEqualTo("stage");
        });
        js().executeScript("window.regentMarker = 42;");

        stack.writeDesired(Stack.desiredState(stack.project, "    a: {ref: HEAD}\n    b: {ref: HEAD}\n", "b", "a"));

        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            assertThat(run.isAlive()).as("regent run exited:\n%s", Files.readString(log)).isTrue();
            assertThat(role("b")).isEqualTo("live");
            assertThat(role("a")).isEqualTo("stage");
            assertThat(hostState()).isEqualTo("Converged");
        });
        assertThat(((Number) js().executeScript("return window.regentMarker;")).intValue())
                .as("the page was not reloaded").isEqualTo(42);
        assertThat(stack.servedBy(stack.livePort)).isEqualTo("b");
        assertThat(stack.servedBy(stack.stagePort)).isEqualTo("a");

        long before = requestsShown("b");
        for (int i = 0; i < 40; i++) {
            assertThat(stack.servedBy(stack.livePort)).isEqualTo("b");
        }
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(requestsShown("b")).as("the card counts the requests served").isGreaterThanOrEqualTo(before + 40));
        assertThat(js().executeScript("return document.getElementById('offline').classList.contains('show');")).isEqualTo(false);
        Files.createDirectories(SCREENSHOT.getParent());
        Files.write(SCREENSHOT, ((ChromeDriver) driver).getScreenshotAs(OutputType.BYTES));
        assertThat(SCREENSHOT).exists().isNotEmptyFile();
        assertThat(Files.readAllBytes(SCREENSHOT)).startsWith(0x89, 'P', 'N', 'G');
    }

    /** The role badge of one build's card: its data-role attribute, which must match its text. */
    private static String role(String build) {
        Object role = js().executeScript("""
                const badge = document.querySelector('[data-build="' + arguments[0] + '"] [data-role]');
                if (!badge) return null;
                const text = badge.textContent.trim();
                return text === badge.getAttribute('data-role') ? text : 'mismatch: ' + text + ' / ' + badge.getAttribute('data-role');
                """, build);
        return role == null ? null : role.toString();
    }

    /** The total requests a build's card shows. */
    private static long requestsShown(String build) {
        Object text = js().executeScript("const e = document.querySelector('[data-build=\"' + arguments[0] + '\"]');"
                + " const m = e && e.textContent.match(/(\\d+) total/); return m ? m[1] : '-1';", build);
        return Long.parseLong(text.toString());
    }

    private static String hostState() {
        Object state = js().executeScript("const e = document.getElementById('host-state'); return e ? e.textContent.trim() : null;");
        return state == null ? null : state.toString();
    }

    private static JavascriptExecutor js() {
        return (JavascriptExecutor) driver;
    }
}
