package dev.regent.observe;

import dev.regent.docker.DockerPort;
import dev.regent.fs.HostFiles;
import dev.regent.fs.HostLayout;
import dev.regent.nginx.NginxIncludes;
import dev.regent.nginx.SiteConfig;
import dev.regent.safety.HealthProof;
import dev.regent.site.CertificateCheck;
import dev.regent.spec.BuildNames;
import dev.regent.spec.PromotionSpec;
import dev.regent.spec.SiteSpec;
import dev.regent.traffic.TrafficView;
import dev.regent.uwsgi.StatsReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Reads the host: build folders, links, markers, stats sockets, and which containers run. It makes
 * no docker exec, so a resync with nothing to do costs only a container listing.
 */
public final class Observer {
    private final HostLayout layout;
    private final DockerPort docker;
    private final StatsReader stats;
    private final PromotionReading promotions;

    public Observer(HostLayout layout, DockerPort docker, StatsReader stats) {
        this(layout, docker, stats, TrafficView.NONE, Clock.systemUTC());
    }

    /** traffic: the figures the analysis of a new live build judges, read at {@code clock}'s instant. */
    public Observer(HostLayout layout, DockerPort docker, StatsReader stats, TrafficView traffic, Clock clock) {
        this.layout = layout;
        this.docker = docker;
        this.stats = stats;
        this.promotions = new PromotionReading(layout, traffic, clock);
    }

    public ObservedHost observe(String project) {
        return observe(project, SiteSpec.NONE);
    }

    /** The host, with the certificate files {@code site} names read (and parsed) when it has TLS. */
    public ObservedHost observe(String project, SiteSpec site) {
        return observe(project, site, PromotionSpec.DEFAULT);
    }

    /** As {@link #observe(String, SiteSpec)}, with what guards live read as {@code promotion} asks. */
    public ObservedHost observe(String project, SiteSpec site, PromotionSpec promotion) {
        var containers = new ObservedHost.Containers(
                docker.find(project, "web").map(DockerPort.Container::running).orElse(false),
                docker.find(project, "nginx").map(DockerPort.Container::running).orElse(false));
        return observeFiles(containers, site, promotion);
    }

    public ObservedHost observeFiles(ObservedHost.Containers containers) {
        return observeFiles(containers, SiteSpec.NONE);
    }

    public ObservedHost observeFiles(ObservedHost.Containers containers, SiteSpec site) {
        return observeFiles(containers, site, PromotionSpec.DEFAULT);
    }

    /** Everything but the containers: usable on a plain folder. */
    public ObservedHost observeFiles(ObservedHost.Containers containers, SiteSpec site, PromotionSpec promotion) {
        var names = new TreeSet<String>();
        var assemblies = new ArrayList<String>();
        scanBuildFolders(names, assemblies);
        scanFailures(names);
        RoleFiles roles = RoleFiles.read(layout);
        var unreadable = new ArrayList<>(roles.unreadable());
        Map<String, ObservedBuild> builds = new TreeMap<>();
        for (String name : names) {
            builds.put(name, observeBuild(name, unreadable));
        }
        var breaking = BreakingMigration.read(layout);
        breaking.unreadable().ifPresent(u -> unreadable.add(u.describe(layout.root())));
        // Unreadable is not read as absent: that would make a site that is being served look new.
        var applied = HostFiles.read(layout.siteApplied(), SiteApplied.class);
        applied.unreadable().ifPresent(u -> unreadable.add(u.describe(layout.root())));
        var observedSite = new ObservedSite(applied.orAbsent(),
                Files.exists(layout.nginxFiles().resolve(SiteConfig.FILE), LinkOption.NOFOLLOW_LINKS));
        var certificate = site.tls().map(tls -> CertificateCheck.read(layout.root(), tls));
        var guard = promotions.read(promotion, builds.keySet(), roles.live(), unreadable, canaries(builds));
        return new ObservedHost(builds, List.copyOf(assemblies), roles.live(), roles.stage(), roles.nginx(),
                containers, List.copyOf(unreadable), breaking.orAbsent().orElseGet(List::of), certificate, observedSite,
                guard);
    }

    /** The canary files of every build folder that has any; a stats socket is asked only when its file is there. */
    private List<ObservedCanary> canaries(Map<String, ObservedBuild> builds) {
        var found = new ArrayList<ObservedCanary>();
        for (ObservedBuild build : builds.values()) {
            if (!build.folder()) {
                continue;
            }
            String name = build.name();
            boolean linked = Files.isSymbolicLink(CanaryFiles.ini(layout, name));
            var target = readSmall(CanaryFiles.target(layout, name)).flatMap(CanaryFiles::parseTarget);
            Path socket = CanaryFiles.stats(layout, name);
            boolean serving = Files.exists(socket, LinkOption.NOFOLLOW_LINKS)
                    && stats.read(socket).filter(StatsReader.UwsgiStats::allAccepting).isPresent();
            var canary = new ObservedCanary(name, linked, target, serving);
            if (canary.present()) {
                found.add(canary);
            }
        }
        return found;
    }

    private ObservedBuild observeBuild(String name, List<String> unreadable) {
        Path folder = layout.build(name);
        boolean isFolder = Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS);
        var record = isFolder ? buildRecord(folder, unreadable) : Optional.<BuildRecord>empty();
        var vassal = isFolder ? stats.read(layout.vassalStats(name)) : Optional.<StatsReader.UwsgiStats>empty();
        var pool = isFolder ? stats.read(layout.poolStats(name)) : Optional.<StatsReader.UwsgiStats>empty();
        var proof = HealthProof.of(ReadyMarker.read(layout, name, ReadyMarker.HEALTHY), pool, vassal);
        boolean healthy = proof == HealthProof.PROVEN;
        boolean warm = healthy && HealthProof.madeFor(ReadyMarker.read(layout, name, ReadyMarker.WARM), pool);
        var found = new ObservedBuild(name, isFolder, record,
                isFolder && Files.isSymbolicLink(layout.vassalIni(name)),
                isFolder && Files.isSymbolicLink(layout.poolIni(name)),
                vassal, pool, healthy, warm,
                // Unreadable reads as absent: a failure record only saves work (the build is tried
                // again, which writes it again), it protects nothing.
                HostFiles.readJson(layout.marker(name, BuildFailure.KIND), BuildFailure.class),
                isFolder ? readSmall(folder.resolve(NginxIncludes.fileName(NginxIncludes.LIVE))) : Optional.empty(),
                isFolder ? readSmall(folder.resolve(NginxIncludes.fileName(NginxIncludes.STAGE))) : Optional.empty());
        // Unreadable reads as absent: a release record only grants (a role may move), like a health proof.
        var migration = MigrationRecord.read(layout, name).filter(m -> record.filter(m::concerns).isPresent());
        return (proof == HealthProof.ORPHANED ? found.withOrphanedPool() : found).withMigration(migration);
    }

    /**
     * The record that makes a folder a complete build. An unreadable one is reported, not only read
     * as absent: the folder of an unlisted build without a record is removed.
     */
    private Optional<BuildRecord> buildRecord(Path folder, List<String> unreadable) {
        var read = HostFiles.read(folder.resolve(BuildRecord.FILE), BuildRecord.class);
        read.unreadable().ifPresent(u -> unreadable.add(u.describe(layout.root())));
        return read.orAbsent();
    }

    private static Optional<String> readSmall(Path file) {
        try {
            return Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) && Files.size(file) < 64 * 1024
                    ? Optional.of(Files.readString(file)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private void scanBuildFolders(TreeSet<String> names, List<String> assemblies) {
        if (!Files.isDirectory(layout.builds())) {
            return;
        }
        try (var entries = HostFiles.list(layout.builds())) {
            for (Path entry : entries) {
                String file = entry.getFileName().toString();
                if (Files.isSymbolicLink(entry)) {
                    continue;
                }
                if (file.startsWith(".") && file.endsWith(".tmp") && Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                    assemblies.add(file);
                } else if (BuildNames.isValid(file) && Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                    names.add(file);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not list " + layout.builds(), e);
        }
        assemblies.sort(String::compareTo);
    }

    private void scanFailures(TreeSet<String> names) {
        if (!Files.isDirectory(layout.run())) {
            return;
        }
        try (var entries = HostFiles.list(layout.run())) {
            for (Path entry : entries) {
                HostLayout.markerOf(entry.getFileName().toString(), BuildFailure.KIND)
                        .filter(BuildNames::isValid).ifPresent(names::add);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not list " + layout.run(), e);
        }
    }
}
