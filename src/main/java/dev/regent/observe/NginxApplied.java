package dev.regent.observe;

import java.time.Instant;
import java.util.Optional;

/** The roles nginx was last confirmed (by effect) to serve. */
public record NginxApplied(Optional<String> live, Optional<String> stage, Instant at) {
}
