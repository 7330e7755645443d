package dev.regent.plan;

import dev.regent.observe.ObservedBuild;
import dev.regent.spec.BuildSpec;
import java.util.Optional;

/** A build by name: what is wanted of it (if listed) and what is there. */
public record BuildPair(String name, Optional<BuildSpec> desired, ObservedBuild observed) {

    public boolean listed() {
        return desired.isPresent();
    }

    public boolean wantedActive() {
        return desired.map(BuildSpec::active).orElse(false);
    }
}
