package dev.regent.site;

import dev.regent.spec.SiteSpec;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/** Reads the site's certificate files, and decides (purely) whether they may be served. */
public final class CertificateCheck {

    private CertificateCheck() {
    }

    /** Reads and parses both files; never throws. */
    public static CertificateFiles read(Path projectRoot, SiteSpec.TlsSpec tls) {
        return new CertificateFiles.Unusable("certificate checks are not built yet");
    }

    /** Why the site's TLS files must not be loaded by nginx now, or empty when they may. Pure. */
    public static Optional<String> refusal(SiteSpec site, CertificateFiles files, Instant now) {
        // Placeholder until the real checks land: enough for the planner's tests.
        if (files instanceof CertificateFiles.Unusable unusable) {
            return Optional.of(unusable.reason());
        }
        var parsed = (CertificateFiles.Parsed) files;
        if (!parsed.keyMatches()) {
            return Optional.of("the key does not match the certificate");
        }
        return now.isAfter(parsed.notAfter()) ? Optional.of("the certificate expired at " + parsed.notAfter()) : Optional.empty();
    }
}
