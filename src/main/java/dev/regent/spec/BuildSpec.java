package dev.regent.spec;

import java.util.Optional;

/** One entry of spec.builds. Empty optionals fall back to spec.source. */
public record BuildSpec(
        String name,
        String ref,
        boolean active,
        Optional<String> path,
        Optional<String> settings,
        Optional<String> wsgi,
        Optional<String> healthPath) {

}
