package dev.regent.site;

import dev.regent.spec.SiteSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads the site's certificate files, and decides (purely) whether they may be served. */
public final class CertificateCheck {

    private CertificateCheck() {
    }

    /**
     * Reads and parses both files (paths relative to {@code projectRoot}, as configured); never
     * throws. Unusable: missing, unreadable, not PEM, no certificate or no key in it, an encrypted
     * key (nginx would need a passphrase), a chain whose first certificate is not the key's.
     */
    public static CertificateFiles read(Path projectRoot, SiteSpec.TlsSpec tls) {
        try {
            return CertificateReader.read(projectRoot, tls);
        } catch (RuntimeException e) {
            return new CertificateFiles.Unusable("the certificate files " + tls.certificate() + " and " + tls.key()
                    + " could not be checked: " + e);
        }
    }

    /**
     * Why the site's TLS files must not be loaded by nginx now, or empty when they may (and when
     * the site has no TLS). Every problem found is named, joined with "; ", each with the file and
     * what to do. Pure.
     */
    public static Optional<String> refusal(SiteSpec site, CertificateFiles files, Instant now) {
        if (site.tls().isEmpty()) {
            return Optional.empty();
        }
        SiteSpec.TlsSpec tls = site.tls().get();
        if (files instanceof CertificateFiles.Unusable unusable) {
            return Optional.of(unusable.reason());
        }
        var parsed = (CertificateFiles.Parsed) files;
        String cert = "the certificate in " + tls.certificate();
        var reasons = new ArrayList<String>();
        if (now.isBefore(parsed.notBefore())) {
            reasons.add(cert + " is not valid until " + parsed.notBefore() + " (in "
                    + CertificateExpiry.span(Duration.between(now, parsed.notBefore()))
                    + "): browsers would reject it; install one valid now, or wait");
        }
        if (!now.isBefore(parsed.notAfter())) {
            reasons.add(cert + " expired " + parsed.notAfter() + " ("
                    + CertificateExpiry.span(Duration.between(parsed.notAfter(), now))
                    + " ago): renew it and write the new chain to " + tls.certificate() + " and its key to " + tls.key());
        }
        if (!parsed.keyMatches()) {
            reasons.add("the key in " + tls.key() + " does not match " + cert + " (" + parsed.subject()
                    + "): put the key the certificate was issued for in " + tls.key()
                    + ", or the certificate issued for this key in " + tls.certificate());
        }
        List<String> uncovered = HostNames.uncovered(parsed.names(), site.names());
        if (!uncovered.isEmpty()) {
            reasons.add(cert + " does not cover " + String.join(", ", uncovered) + " (it is for "
                    + (parsed.names().isEmpty() ? "no DNS name: it has no subjectAltName, and browsers ignore the subject's CN"
                    : String.join(", ", parsed.names()))
                    + "): get a certificate for every name in spec.site, or remove the names it does not cover");
        }
        parsed.keyExposed().ifPresent(reasons::add);
        return reasons.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", reasons));
    }

    /** Days left and whether that is {@value CertificateExpiry#WARN_DAYS} or fewer. Pure. */
    public static CertificateExpiry expiry(CertificateFiles.Parsed files, Instant now) {
        return CertificateExpiry.of(files.notAfter(), now);
    }
}
