package dev.regent.spec;

import java.util.Optional;

/** Builds as tests write them: a name and a ref, everything else defaulted. */
public final class BuildSpecs {
    private BuildSpecs() {
    }

    public static BuildSpec of(String name, String ref) {
        return new BuildSpec(name, ref, true, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    public static BuildSpec inactive(String name, String ref) {
        return new BuildSpec(name, ref, false, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }
}
