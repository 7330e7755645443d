package dev.regent.observe;

import dev.regent.fs.HostLayout;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where a build's canary lives (conf/uwsgi/canary.skel): {@code canary.ini}, the link the web
 * container's canary emperor runs a pool for; {@code canary-target.ini}, the router it attaches to and
 * its worker count; its stats socket.
 */
public final class CanaryFiles {
    /** canary.ini's target, relative to the build's folder. */
    public static final String SKELETON = "../../../conf/uwsgi/canary.skel";

    private CanaryFiles() {
    }

    public static Path ini(HostLayout layout, String build) {
        return layout.build(build).resolve("canary.ini");
    }

    public static Path target(HostLayout layout, String build) {
        return layout.build(build).resolve("canary-target.ini");
    }

    public static Path stats(HostLayout layout, String build) {
        return layout.run().resolve(build + "-canary.stats");
    }

    /** canary-target.ini for a canary on {@code of}'s router with {@code workers} processes. */
    public static String targetContent(ObservedCanary.Target target) {
        return "[uwsgi]\nregent_canary_of = " + target.of() + "\nregent_canary_workers = " + target.workers() + "\n";
    }

    /** The target a canary-target.ini names; empty for anything Regent would not have written. */
    public static Optional<ObservedCanary.Target> parseTarget(String content) {
        String of = null;
        Integer workers = null;
        for (String line : content.lines().map(String::strip).toList()) {
            if (line.startsWith("regent_canary_of")) {
                of = line.replaceFirst("^regent_canary_of\\s*=\\s*", "");
            } else if (line.startsWith("regent_canary_workers")) {
                try {
                    workers = Integer.parseInt(line.replaceFirst("^regent_canary_workers\\s*=\\s*", ""));
                } catch (NumberFormatException e) {
                    return Optional.empty();
                }
            }
        }
        return of == null || workers == null ? Optional.empty() : Optional.of(new ObservedCanary.Target(of, workers));
    }
}
