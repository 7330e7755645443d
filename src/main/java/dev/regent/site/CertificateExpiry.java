package dev.regent.site;

import java.time.Duration;
import java.time.Instant;

/**
 * How long a certificate has left, for status, metrics and the dashboard. {@code daysLeft} is whole
 * days, rounded down, negative once expired; {@code soon} when {@value #WARN_DAYS} days or fewer are
 * left (expired included), the time a renewal should already have happened by (certbot and lego
 * renew at 30 days left).
 */
public record CertificateExpiry(Instant notAfter, long daysLeft, boolean soon, boolean expired) {
    public static final int WARN_DAYS = 21;

    public static CertificateExpiry of(Instant notAfter, Instant now) {
        long seconds = Duration.between(now, notAfter).getSeconds();
        long days = Math.floorDiv(seconds, Duration.ofDays(1).getSeconds());
        return new CertificateExpiry(notAfter, days, days <= WARN_DAYS, !now.isBefore(notAfter));
    }

    /** "expires 2026-03-01T00:00:00Z (in 80 days)" or "expired 2024-01-01T00:00:00Z (3 days ago)". */
    public String describe(Instant now) {
        return expired ? "expired " + notAfter + " (" + span(Duration.between(notAfter, now)) + " ago)"
                : "expires " + notAfter + " (in " + span(Duration.between(now, notAfter)) + ")";
    }

    /** A duration in its largest whole unit: "3 days", "1 hour", "12 minutes". */
    static String span(Duration d) {
        long days = d.toDays();
        if (days >= 1) {
            return plural(days, "day");
        }
        long hours = d.toHours();
        if (hours >= 1) {
            return plural(hours, "hour");
        }
        return plural(Math.max(0, d.toMinutes()), "minute");
    }

    private static String plural(long n, String unit) {
        return n + " " + unit + (n == 1 ? "" : "s");
    }
}
