package dev.regent.site;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Days left round down; 21 days or fewer is soon; an expired certificate says how long ago. */
class CertificateExpiryTest {
    static final Instant NOW = Instant.parse("2026-01-10T12:00:00Z");

    @Test
    void daysLeftRoundDownAndTwentyOneIsSoon() {
        assertThat(CertificateExpiry.of(NOW.plus(Duration.ofDays(22)), NOW)).satisfies(e -> {
            assertThat(e.daysLeft()).isEqualTo(22);
            assertThat(e.soon()).isFalse();
        });
        assertThat(CertificateExpiry.of(NOW.plus(Duration.ofDays(22)).minusSeconds(1), NOW)).satisfies(e -> {
            assertThat(e.daysLeft()).isEqualTo(21);
            assertThat(e.soon()).isTrue();
            assertThat(e.expired()).isFalse();
        });
    }

    @Test
    void anExpiredCertificateHasNegativeDaysAndSaysHowLongAgo() {
        CertificateExpiry e = CertificateExpiry.of(NOW.minus(Duration.ofHours(5)), NOW);
        assertThat(e.daysLeft()).isEqualTo(-1);
        assertThat(e.soon()).isTrue();
        assertThat(e.expired()).isTrue();
        assertThat(e.describe(NOW)).isEqualTo("expired 2026-01-10T07:00:00Z (5 hours ago)");
        assertThat(CertificateExpiry.of(NOW.plus(Duration.ofDays(80)), NOW).describe(NOW))
                .isEqualTo("expires 2026-03-31T12:00:00Z (in 80 days)");
        assertThat(CertificateExpiry.of(NOW.plus(Duration.ofDays(1)), NOW).describe(NOW))
                .isEqualTo("expires 2026-01-11T12:00:00Z (in 1 day)");
    }
}
