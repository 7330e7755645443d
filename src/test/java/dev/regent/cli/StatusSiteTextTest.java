package dev.regent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.regent.site.CertificateFiles;
import dev.regent.spec.SiteSpec;
import dev.regent.status.SiteStatus;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The site lines of `regent status`: names per role, HTTPS or not, the certificate's expiry and any refusal. */
class StatusSiteTextTest {
    static final Instant NOW = Instant.parse("2026-01-10T12:00:00Z");
    static final SiteSpec SITE = new SiteSpec(List.of("www.example.test", "example.test"), List.of(),
            Optional.of(new SiteSpec.TlsSpec("tls/fullchain.pem", "tls/privkey.pem", Optional.empty())), Optional.empty(), List.of());

    static String text(SiteSpec site, Optional<CertificateFiles> files) {
        var out = new StringWriter();
        try (var writer = new PrintWriter(out)) {
            StatusCommand.printSite(writer, SiteStatus.of(site, files, NOW).orElseThrow());
        }
        return out.toString();
    }

    static CertificateFiles.Parsed certificate(Duration left, List<String> names) {
        return new CertificateFiles.Parsed("CN=www.example.test", "CN=R11,O=Let's Encrypt,C=US", names,
                NOW.minus(Duration.ofDays(60)), NOW.plus(left), true, Optional.empty(), "ab");
    }

    @Test
    void aUsableCertificateShowsItsExpiry() {
        assertThat(text(SITE, Optional.of(certificate(Duration.ofDays(80), List.of("www.example.test", "example.test")))))
                .isEqualTo("""
                        site: live www.example.test, example.test   stage (port only)   HTTPS (HTTP redirects)
                        certificate tls/fullchain.pem: CN=www.example.test, issued by CN=R11,O=Let's Encrypt,C=US, expires 2026-03-31T12:00:00Z (in 80 days)
                        """);
    }

    @Test
    void aCertificateDueForRenewalIsMarked() {
        assertThat(text(SITE, Optional.of(certificate(Duration.ofDays(10), List.of("*.example.test", "example.test")))))
                .contains("expires 2026-01-20T12:00:00Z (in 10 days)  RENEW SOON\n");
    }

    @Test
    void aRefusalIsPrintedUnderTheCertificate() {
        assertThat(text(SITE, Optional.of(new CertificateFiles.Unusable("the key file tls/privkey.pem is missing"))))
                .endsWith("""
                        certificate tls/fullchain.pem: unusable
                          refused: the key file tls/privkey.pem is missing
                        """);
        assertThat(text(SITE, Optional.of(certificate(Duration.ofDays(-2), List.of("www.example.test", "example.test")))))
                .contains("expired 2026-01-08T12:00:00Z (2 days ago)\n")
                .contains("  refused: the certificate in tls/fullchain.pem expired 2026-01-08T12:00:00Z (2 days ago)");
    }

    @Test
    void namesWithoutTlsSayHttpOnly() {
        var site = new SiteSpec(List.of(), List.of("stage.example.test"), Optional.empty(), Optional.empty(), List.of());
        assertThat(text(site, Optional.empty())).isEqualTo("site: live (port only)   stage stage.example.test   HTTP only\n");
    }
}
