package dev.regent.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.regent.fs.HostLayout;
import dev.regent.gitops.Revision;
import dev.regent.observe.ObservedHost;
import dev.regent.observe.Observer;
import dev.regent.site.CertificateFiles;
import dev.regent.spec.DesiredState;
import dev.regent.spec.SiteSpec;
import dev.regent.uwsgi.StatsReader;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** /api/status and /metrics show the site's names and its certificate's expiry, from the observed files. */
class SiteStatusReportTest {
    static final Instant NOW = Instant.parse("2026-01-10T12:00:00Z");
    static final Instant NOT_AFTER = NOW.plus(Duration.ofDays(20));
    static final SiteSpec SITE = new SiteSpec(List.of("www.example.test"), List.of("stage.example.test"),
            Optional.of(new SiteSpec.TlsSpec("deploy/secrets/tls/fullchain.pem", "deploy/secrets/tls/privkey.pem",
                    Optional.empty())), Optional.empty(), List.of());

    @TempDir
    Path root;

    StatusReport report(SiteSpec site, Optional<CertificateFiles> files) {
        var layout = new HostLayout(root);
        var observer = new Observer(layout, new dev.regent.docker.NoDocker(), new StatsReader(Duration.ofMillis(100)));
        DesiredState state = withSite(OperatorServerTest.STATE, site);
        return new StatusReport(() -> Optional.of(new Revision(state, "file")), d -> {
            ObservedHost o = observer.observeFiles(new ObservedHost.Containers(true, true));
            return new ObservedHost(o.builds(), o.assemblies(), o.live(), o.stage(), o.nginx(), o.containers(),
                    o.unreadable(), o.breaking(), files);
        }, layout, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    static DesiredState withSite(DesiredState d, SiteSpec site) {
        return new DesiredState(d.file(), d.name(), d.source(), d.builds(), d.live(), d.stage(), d.steps(), d.fieldLines(),
                d.strategy(), d.syncWindows(), d.healthTimeout(), d.migrations(), d.dependencies(), site);
    }

    static CertificateFiles.Parsed certificate(List<String> names) {
        return new CertificateFiles.Parsed("CN=www.example.test", "CN=Test CA", names, NOW.minus(Duration.ofDays(70)),
                NOT_AFTER, true, Optional.empty(), "ab");
    }

    static String metrics(StatusReport report) throws Exception {
        var out = new ByteArrayOutputStream();
        new Metrics(Clock.fixed(NOW, ZoneOffset.UTC)).write(report.status().orElseThrow(), out);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void apiStatusShowsTheNamesAndTheDaysLeft() {
        JsonNode site = report(SITE, Optional.of(certificate(List.of("www.example.test", "stage.example.test")))).json().path("site");

        assertThat(site.path("live")).extracting(JsonNode::asText).containsExactly("www.example.test");
        assertThat(site.path("stage")).extracting(JsonNode::asText).containsExactly("stage.example.test");
        assertThat(site.path("tls").asBoolean()).isTrue();
        assertThat(site.path("usable").asBoolean()).isTrue();
        assertThat(site.path("refusal").isNull()).isTrue();
        JsonNode certificate = site.path("certificate");
        assertThat(certificate.path("subject").asText()).isEqualTo("CN=www.example.test");
        assertThat(certificate.path("issuer").asText()).isEqualTo("CN=Test CA");
        assertThat(certificate.path("notAfter").asText()).isEqualTo("2026-01-30T12:00:00Z");
        assertThat(certificate.path("daysLeft").asLong()).isEqualTo(20);
        assertThat(certificate.path("expiresSoon").asBoolean()).isTrue();
    }

    @Test
    void withoutSpecSiteTheStatusHasNoSite() {
        assertThat(report(SiteSpec.NONE, Optional.empty()).json().path("site").isNull()).isTrue();
    }

    @Test
    void metricsCarryTheExpiryAndWhetherTheCertificateIsUsable() throws Exception {
        String usable = metrics(report(SITE, Optional.of(certificate(List.of("www.example.test", "stage.example.test")))));
        assertThat(usable).contains("regent_tls_certificate_expiry_timestamp_seconds{certificate=\"deploy/secrets/tls/fullchain.pem\"} "
                + formatted(NOT_AFTER.getEpochSecond()))
                .contains("regent_tls_certificate_usable{certificate=\"deploy/secrets/tls/fullchain.pem\"} 1.0");

        String refused = metrics(report(SITE, Optional.of(certificate(List.of("www.example.test")))));
        assertThat(refused).contains("regent_tls_certificate_usable{certificate=\"deploy/secrets/tls/fullchain.pem\"} 0.0")
                .contains("regent_tls_certificate_expiry_timestamp_seconds{certificate=\"deploy/secrets/tls/fullchain.pem\"}");

        String unusable = metrics(report(SITE, Optional.of(new CertificateFiles.Unusable("the key file k is missing"))));
        assertThat(unusable).contains("regent_tls_certificate_usable{certificate=\"deploy/secrets/tls/fullchain.pem\"} 0.0")
                .doesNotContain("regent_tls_certificate_expiry_timestamp_seconds{");
    }

    @Test
    void withoutTlsOrBeforeTheFilesAreReadThereIsNoCertificateSeries() throws Exception {
        assertThat(metrics(report(SiteSpec.NONE, Optional.empty()))).doesNotContain("regent_tls_certificate_usable{")
                .doesNotContain("regent_tls_certificate_expiry_timestamp_seconds{");
        assertThat(metrics(report(SITE, Optional.empty()))).doesNotContain("regent_tls_certificate_usable{")
                .doesNotContain("regent_tls_certificate_expiry_timestamp_seconds{");
    }

    /** As the text format writes a double. */
    private static String formatted(long seconds) {
        return String.valueOf((double) seconds);
    }
}
