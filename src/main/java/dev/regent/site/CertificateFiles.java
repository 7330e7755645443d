package dev.regent.site;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** What the configured certificate chain and key files hold, as read from the host. */
public sealed interface CertificateFiles {

    /** The files could not be used at all (missing, unreadable, not PEM, no key in it): why. */
    record Unusable(String reason) implements CertificateFiles {
    }

    /**
     * The leaf certificate's facts. {@code names}: its DNS subject alternative names (wildcards
     * as written). {@code keyExposed}: why the key file is readable by others than its owner, if it
     * is. {@code fingerprint}: sha256 over both files' bytes, so a renewed file is seen as changed.
     */
    record Parsed(String subject, String issuer, List<String> names, Instant notBefore, Instant notAfter,
                  boolean keyMatches, Optional<String> keyExposed, String fingerprint) implements CertificateFiles {
        public Parsed {
            names = List.copyOf(names);
        }
    }
}
