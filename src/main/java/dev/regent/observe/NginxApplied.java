package dev.regent.observe;

import java.time.Instant;
import java.util.Optional;

/**
 * What nginx last loaded, confirmed by effect: the includes of each role, and the builds they pin
 * (empty when the includes reach a role through its symlink instead of a build's port).
 */
public record NginxApplied(Optional<String> live, Optional<String> stage, Instant at,
                           Optional<String> liveInclude, Optional<String> stageInclude) {

    public NginxApplied(Optional<String> live, Optional<String> stage, Instant at) {
        this(live, stage, at, Optional.empty(), Optional.empty());
    }
}
