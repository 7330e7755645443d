package dev.regent.observe;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A snapshot of the host. {@code builds} holds every build folder and every build with a failure record. */
public record ObservedHost(
        Map<String, ObservedBuild> builds,
        List<String> assemblies,
        Optional<String> live,
        Optional<String> stage,
        Optional<NginxApplied> nginx,
        Containers containers) {

    public ObservedBuild build(String name) {
        return builds.getOrDefault(name, ObservedBuild.absent(name));
    }

    /** Which compose services have a running container. */
    public record Containers(boolean web, boolean nginx) {
    }
}
