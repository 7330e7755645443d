package dev.regent.observe;

import java.time.Instant;
import java.util.Optional;

/**
 * What nginx last loaded of spec.site, confirmed by effect (deploy/run/site-applied.json): the
 * sha256 of the config ({@code SiteConfig.render}) and the fingerprint of the certificate files it
 * names (empty without TLS).
 */
public record SiteApplied(String configSha256, Optional<String> certificateFingerprint, Instant at) {
}
