package dev.regent.observe;

import dev.regent.site.CertificateFiles;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A snapshot of the host. {@code builds} holds every build folder and every build with a failure
 * record. {@code unreadable} names each file a safety rule reads that exists but could not be read,
 * with the error (its value then reads as absent here, which the planner must not act on).
 * {@code breaking}: the migrations applied only by opt-in, host-wide ({@link BreakingMigration}).
 * {@code certificate}: spec.site.tls's files as read now (empty without TLS); {@code site}: what
 * nginx last loaded of spec.site. {@code promotion}: what guards live (the last move, pins, smoke checks,
 * approvals, and the traffic the analysis judges). {@code fleet}: this host's turn in its fleet's rollout
 * (empty for a host that is in no fleet, or has no fleet store to ask).
 */
public record ObservedHost(
        Map<String, ObservedBuild> builds,
        List<String> assemblies,
        Optional<String> live,
        Optional<String> stage,
        Optional<NginxApplied> nginx,
        Containers containers,
        List<String> unreadable,
        List<BreakingMigration> breaking,
        Optional<CertificateFiles> certificate,
        ObservedSite site,
        ObservedPromotion promotion,
        Optional<ObservedFleet> fleet) {

    public ObservedHost(Map<String, ObservedBuild> builds, List<String> assemblies, Optional<String> live,
                        Optional<String> stage, Optional<NginxApplied> nginx, Containers containers,
                        List<String> unreadable, List<BreakingMigration> breaking, Optional<CertificateFiles> certificate,
                        ObservedSite site, ObservedPromotion promotion) {
        this(builds, assemblies, live, stage, nginx, containers, unreadable, breaking, certificate, site, promotion,
                Optional.empty());
    }

    public ObservedHost(Map<String, ObservedBuild> builds, List<String> assemblies, Optional<String> live,
                        Optional<String> stage, Optional<NginxApplied> nginx, Containers containers,
                        List<String> unreadable, List<BreakingMigration> breaking, Optional<CertificateFiles> certificate,
                        ObservedSite site) {
        this(builds, assemblies, live, stage, nginx, containers, unreadable, breaking, certificate, site,
                ObservedPromotion.NONE);
    }

    public ObservedHost(Map<String, ObservedBuild> builds, List<String> assemblies, Optional<String> live,
                        Optional<String> stage, Optional<NginxApplied> nginx, Containers containers,
                        List<String> unreadable, List<BreakingMigration> breaking, Optional<CertificateFiles> certificate) {
        this(builds, assemblies, live, stage, nginx, containers, unreadable, breaking, certificate, ObservedSite.NONE);
    }

    public ObservedHost(Map<String, ObservedBuild> builds, List<String> assemblies, Optional<String> live,
                        Optional<String> stage, Optional<NginxApplied> nginx, Containers containers,
                        List<String> unreadable, List<BreakingMigration> breaking) {
        this(builds, assemblies, live, stage, nginx, containers, unreadable, breaking, Optional.empty());
    }

    public ObservedHost(Map<String, ObservedBuild> builds, List<String> assemblies, Optional<String> live,
                        Optional<String> stage, Optional<NginxApplied> nginx, Containers containers,
                        List<String> unreadable) {
        this(builds, assemblies, live, stage, nginx, containers, unreadable, List.of());
    }

    public ObservedHost(Map<String, ObservedBuild> builds, List<String> assemblies, Optional<String> live,
                        Optional<String> stage, Optional<NginxApplied> nginx, Containers containers) {
        this(builds, assemblies, live, stage, nginx, containers, List.of());
    }

    public ObservedHost withPromotion(ObservedPromotion promotion) {
        return new ObservedHost(builds, assemblies, live, stage, nginx, containers, unreadable, breaking, certificate, site,
                promotion, fleet);
    }

    public ObservedHost withFleet(ObservedFleet turn) {
        return new ObservedHost(builds, assemblies, live, stage, nginx, containers, unreadable, breaking, certificate, site,
                promotion, Optional.of(turn));
    }

    public ObservedBuild build(String name) {
        return builds.getOrDefault(name, ObservedBuild.absent(name));
    }

    /** Which compose services have a running container. */
    public record Containers(boolean web, boolean nginx) {
    }
}
