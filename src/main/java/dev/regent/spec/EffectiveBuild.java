package dev.regent.spec;

import java.util.Optional;

/** A build with every default applied: what CreateBuild needs to make it. */
public record EffectiveBuild(
        String name,
        String ref,
        boolean active,
        String repo,
        String path,
        Optional<String> settings,
        Optional<String> wsgi,
        String healthPath,
        int port) {
}
