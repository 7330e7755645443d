package dev.regent.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.regent.fs.HostLayout;
import dev.regent.gitops.Revision;
import dev.regent.gitops.WebhookAuth;
import dev.regent.observe.ObservedHost;
import dev.regent.observe.Observer;
import dev.regent.reconcile.TriggerQueue;
import dev.regent.server.Metrics;
import dev.regent.server.OperatorServer;
import dev.regent.server.StatusReport;
import dev.regent.site.CertificateFiles;
import dev.regent.spec.DesiredState;
import dev.regent.spec.SiteSpec;
import dev.regent.spec.SpecTexts;
import dev.regent.uwsgi.StatsReader;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
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
import org.openqa.selenium.WebDriver;

/**
 * The dashboard's site part in a real headless Chromium, against the operator's real server over a
 * plain folder (no Docker): the names per role and the certificate badge, which follows a renewal,
 * an expiry getting close and a refusal on the same page, without a reload.
 */
class SiteDashboardE2E {
    static final Instant NOW = Instant.parse("2026-01-10T12:00:00Z");
    static final SiteSpec SITE = new SiteSpec(List.of("www.example.test", "example.test"), List.of("stage.example.test"),
            Optional.of(new SiteSpec.TlsSpec("deploy/secrets/tls/fullchain.pem", "deploy/secrets/tls/privkey.pem",
                    Optional.empty())), Optional.empty(), List.of());
    static final List<String> NAMES = List.of("www.example.test", "example.test", "stage.example.test");

    @TempDir
    Path root;
    HeadlessChromium chromium;
    OperatorServer server;
    WebDriver driver;
    final AtomicReference<Optional<CertificateFiles>> certificate = new AtomicReference<>(Optional.empty());

    static CertificateFiles.Parsed expiringIn(Duration left) {
        return new CertificateFiles.Parsed("CN=www.example.test", "CN=Test CA", NAMES, NOW.minus(Duration.ofDays(30)),
                NOW.plus(left), true, Optional.empty(), "ab" + left);
    }

    @BeforeEach
    void start() throws Exception {
        DesiredState plain = SpecTexts.valid(SpecTexts.ONE_BUILD_HOST);
        DesiredState state = new DesiredState(plain.file(), plain.name(), plain.source(), plain.builds(), plain.live(),
                plain.stage(), plain.steps(), plain.fieldLines(), plain.strategy(), plain.syncWindows(),
                plain.healthTimeout(), plain.migrations(), plain.dependencies(), SITE);
        var layout = new HostLayout(root);
        var observer = new Observer(layout, new dev.regent.docker.NoDocker(), new StatsReader(Duration.ofMillis(100)));
        var clock = Clock.fixed(NOW, ZoneOffset.UTC);
        var report = new StatusReport(() -> Optional.of(new Revision(state, "file")), d -> {
            ObservedHost o = observer.observeFiles(new ObservedHost.Containers(true, true));
            return new ObservedHost(o.builds(), o.assemblies(), o.live(), o.stage(), o.nginx(), o.containers(),
                    o.unreadable(), o.breaking(), certificate.get());
        }, layout, clock);
        server = new OperatorServer(new InetSocketAddress("127.0.0.1", 0), new TriggerQueue(),
                new WebhookAuth(Optional.empty()), report, new Metrics(clock));
        server.start();

        chromium = HeadlessChromium.open(new Dimension(1366, 1000));
        driver = chromium.driver;
    }

    @AfterEach
    void stop() throws Exception {
        try {
            if (chromium != null) {
                chromium.close();
            }
        } finally {
            server.close();
        }
    }

    @Test
    void theCertificateBadgeFollowsTheObservedFilesWithoutAReload() {
        certificate.set(Optional.of(expiringIn(Duration.ofDays(80))));
        driver.get("http://127.0.0.1:" + server.port() + "/");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(text("site")).contains("live www.example.test, example.test").contains("stage stage.example.test");
            assertThat(badge()).isEqualTo(Map.of("state", "ok", "days", "80", "text", "TLS · 80 days left"));
            assertThat(refusalShown()).isFalse();
        });
        js().executeScript("window.regentMarker = 7;");

        certificate.set(Optional.of(expiringIn(Duration.ofDays(21).plusHours(1))));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(badge()).isEqualTo(Map.of("state", "soon", "days", "21", "text", "TLS · 21 days left")));

        certificate.set(Optional.of(new CertificateFiles.Unusable("the key file deploy/secrets/tls/privkey.pem is encrypted")));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(badge()).isEqualTo(Map.of("state", "refused", "days", "", "text", "TLS · refused"));
            assertThat(refusalShown()).isTrue();
            assertThat(text("site-refusal")).contains("the key file deploy/secrets/tls/privkey.pem is encrypted");
        });

        certificate.set(Optional.of(expiringIn(Duration.ofDays(90))));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(badge()).isEqualTo(Map.of("state", "ok", "days", "90", "text", "TLS · 90 days left"));
            assertThat(refusalShown()).isFalse();
        });
        assertThat(((Number) js().executeScript("return window.regentMarker;")).intValue()).as("no reload").isEqualTo(7);
    }

    @SuppressWarnings("unchecked")
    private Map<String, String> badge() {
        return (Map<String, String>) js().executeScript("""
                const b = document.querySelector('#site [data-cert]');
                return b ? {state: b.dataset.cert, days: b.dataset.daysLeft, text: b.textContent.trim()} : {};
                """);
    }

    private boolean refusalShown() {
        return (Boolean) js().executeScript("return document.getElementById('site-refusal').classList.contains('show');");
    }

    private String text(String id) {
        return String.valueOf(js().executeScript("return document.getElementById(arguments[0]).textContent.replace(/\\s+/g, ' ');", id));
    }

    private JavascriptExecutor js() {
        return (JavascriptExecutor) driver;
    }
}
