package dev.regent.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.regent.site.CertificateFiles;
import dev.regent.spec.SiteSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What status shows of spec.site and the observed certificate, from plain values. */
class SiteStatusTest {
    static final Instant NOW = Instant.parse("2026-01-10T12:00:00Z");
    static final SiteSpec.TlsSpec TLS = new SiteSpec.TlsSpec("deploy/secrets/tls/fullchain.pem",
            "deploy/secrets/tls/privkey.pem", Optional.empty());
    static final SiteSpec SITE = new SiteSpec(List.of("www.example.test", "example.test"), List.of("stage.example.test"),
            Optional.of(TLS), Optional.empty(), List.of());

    static CertificateFiles.Parsed certificate(Instant notAfter, List<String> names) {
        return new CertificateFiles.Parsed("CN=www.example.test", "CN=Test CA", names, NOW.minus(Duration.ofDays(60)),
                notAfter, true, Optional.empty(), "ab");
    }

    @Test
    void withoutSpecSiteThereIsNoSitePart() {
        assertThat(SiteStatus.of(SiteSpec.NONE, Optional.empty(), NOW)).isEmpty();
    }

    @Test
    void namesWithoutTlsShowNoCertificate() {
        var site = new SiteSpec(List.of("www.example.test"), List.of(), Optional.empty(), Optional.empty(), List.of());
        assertThat(SiteStatus.of(site, Optional.of(new CertificateFiles.Unusable("stale")), NOW)).hasValueSatisfying(s -> {
            assertThat(s.live()).containsExactly("www.example.test");
            assertThat(s.tls()).isFalse();
            assertThat(s.certificateFile()).isEmpty();
            assertThat(s.certificate()).isEmpty();
            assertThat(s.refusal()).isEmpty();
            assertThat(s.usable()).isFalse();
        });
    }

    @Test
    void aCertificateWithTwentyOneDaysLeftIsUsableAndExpiresSoon() {
        var files = certificate(NOW.plus(Duration.ofDays(21)).plus(Duration.ofHours(3)),
                List.of("www.example.test", "example.test", "stage.example.test"));

        assertThat(SiteStatus.of(SITE, Optional.of(files), NOW)).hasValueSatisfying(s -> {
            assertThat(s.tls()).isTrue();
            assertThat(s.certificateFile()).hasValue("deploy/secrets/tls/fullchain.pem");
            assertThat(s.refusal()).isEmpty();
            assertThat(s.usable()).isTrue();
            assertThat(s.certificate()).hasValueSatisfying(c -> {
                assertThat(c.subject()).isEqualTo("CN=www.example.test");
                assertThat(c.issuer()).isEqualTo("CN=Test CA");
                assertThat(c.daysLeft()).isEqualTo(21);
                assertThat(c.expiresSoon()).isTrue();
                assertThat(c.expiry()).isEqualTo("expires 2026-01-31T15:00:00Z (in 21 days)");
            });
        });
        assertThat(SiteStatus.of(SITE, Optional.of(certificate(NOW.plus(Duration.ofDays(22)),
                files.names())), NOW).get().certificate().get().expiresSoon()).isFalse();
    }

    @Test
    void aRefusedCertificateShowsItsFactsAndTheReason() {
        var files = certificate(NOW.plus(Duration.ofDays(80)), List.of("www.example.test"));

        assertThat(SiteStatus.of(SITE, Optional.of(files), NOW)).hasValueSatisfying(s -> {
            assertThat(s.certificate()).isPresent();
            assertThat(s.refusal()).hasValueSatisfying(r -> assertThat(r).contains("does not cover example.test, stage.example.test"));
            assertThat(s.usable()).isFalse();
        });
    }

    @Test
    void unusableFilesShowOnlyTheReason() {
        assertThat(SiteStatus.of(SITE, Optional.of(new CertificateFiles.Unusable("the key file k is missing")), NOW))
                .hasValueSatisfying(s -> {
                    assertThat(s.certificate()).isEmpty();
                    assertThat(s.refusal()).hasValue("the key file k is missing");
                    assertThat(s.usable()).isFalse();
                });
    }

    @Test
    void filesNotReadYetAreNeitherUsableNorRefused() {
        assertThat(SiteStatus.of(SITE, Optional.empty(), NOW)).hasValueSatisfying(s -> {
            assertThat(s.certificate()).isEmpty();
            assertThat(s.refusal()).isEmpty();
            assertThat(s.usable()).isFalse();
        });
    }
}
