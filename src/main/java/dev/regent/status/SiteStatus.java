package dev.regent.status;

import dev.regent.site.CertificateCheck;
import dev.regent.site.CertificateExpiry;
import dev.regent.site.CertificateFiles;
import dev.regent.spec.SiteSpec;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * spec.site as status shows it: the names per role, whether TLS is on and, once the files were
 * read, the certificate's facts and why it is refused, if it is. {@code usable}: TLS is on, the
 * files were read and nothing in them is refused.
 */
public record SiteStatus(List<String> live, List<String> stage, boolean tls, Optional<String> certificateFile,
                         Optional<String> keyFile, Optional<Certificate> certificate, Optional<String> refusal,
                         boolean usable) {

    /** The leaf's facts; {@code daysLeft} rounded down, {@code expiresSoon} at 21 days or fewer. */
    public record Certificate(String subject, String issuer, List<String> names, Instant notBefore, Instant notAfter,
                              long daysLeft, boolean expiresSoon, String expiry) {
    }

    /** Empty without spec.site; {@code files} as observed (empty when not read). Pure. */
    public static Optional<SiteStatus> of(SiteSpec site, Optional<CertificateFiles> files, Instant now) {
        if (!site.named() && site.tls().isEmpty()) {
            return Optional.empty();
        }
        Optional<CertificateFiles> read = site.tls().isPresent() ? files : Optional.empty();
        Optional<Certificate> certificate = read.filter(CertificateFiles.Parsed.class::isInstance)
                .map(CertificateFiles.Parsed.class::cast).map(p -> {
                    CertificateExpiry expiry = CertificateCheck.expiry(p, now);
                    return new Certificate(p.subject(), p.issuer(), p.names(), p.notBefore(), p.notAfter(),
                            expiry.daysLeft(), expiry.soon(), expiry.describe(now));
                });
        Optional<String> refusal = read.flatMap(f -> CertificateCheck.refusal(site, f, now));
        return Optional.of(new SiteStatus(site.live(), site.stage(), site.tls().isPresent(),
                site.tls().map(SiteSpec.TlsSpec::certificate), site.tls().map(SiteSpec.TlsSpec::key),
                certificate, refusal, certificate.isPresent() && refusal.isEmpty()));
    }
}
