package dev.regent.spec;

import java.util.Optional;

/**
 * One entry of spec.builds. Empty optionals fall back to spec.source. {@code allowUnsafeRollback}:
 * live may move to this build although a breaking migration it does not know has been applied.
 */
public record BuildSpec(
        String name,
        String ref,
        boolean active,
        Optional<String> path,
        Optional<String> settings,
        Optional<String> wsgi,
        Optional<String> healthPath,
        boolean allowUnsafeRollback) {

    public BuildSpec(String name, String ref, boolean active, Optional<String> path, Optional<String> settings,
                     Optional<String> wsgi, Optional<String> healthPath) {
        this(name, ref, active, path, settings, wsgi, healthPath, false);
    }

}
