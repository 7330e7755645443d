package dev.regent.observe;

import dev.regent.docker.DockerPort;
import dev.regent.fs.HostFiles;
import dev.regent.fs.HostLayout;
import dev.regent.spec.BuildNames;
import dev.regent.uwsgi.StatsReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
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

    public Observer(HostLayout layout, DockerPort docker, StatsReader stats) {
        this.layout = layout;
        this.docker = docker;
        this.stats = stats;
    }

    public ObservedHost observe(String project) {
        var containers = new ObservedHost.Containers(
                docker.find(project, "web").map(DockerPort.Container::running).orElse(false),
                docker.find(project, "nginx").map(DockerPort.Container::running).orElse(false));
        return observeFiles(containers);
    }

    /** Everything but the containers: usable on a plain folder. */
    public ObservedHost observeFiles(ObservedHost.Containers containers) {
        var names = new TreeSet<String>();
        var assemblies = new ArrayList<String>();
        scanBuildFolders(names, assemblies);
        scanFailures(names);
        Map<String, ObservedBuild> builds = new TreeMap<>();
        for (String name : names) {
            builds.put(name, observeBuild(name));
        }
        return new ObservedHost(builds, List.copyOf(assemblies),
                HostFiles.readLink(layout.builds().resolve(HostLayout.LIVE)),
                HostFiles.readLink(layout.builds().resolve(HostLayout.STAGE)),
                HostFiles.readJson(layout.nginxApplied(), NginxApplied.class),
                containers);
    }

    private ObservedBuild observeBuild(String name) {
        Path folder = layout.build(name);
        boolean isFolder = Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS);
        var record = isFolder ? HostFiles.readJson(folder.resolve(BuildRecord.FILE), BuildRecord.class) : Optional.<BuildRecord>empty();
        var vassal = isFolder ? stats.read(layout.vassalStats(name)) : Optional.<StatsReader.UwsgiStats>empty();
        var pool = isFolder ? stats.read(layout.poolStats(name)) : Optional.<StatsReader.UwsgiStats>empty();
        int poolPid = pool.map(StatsReader.UwsgiStats::pid).orElse(-1);
        var proof = pool.isPresent() ? marker(name, ReadyMarker.HEALTHY).filter(m -> m.poolPid() == poolPid) : Optional.<ReadyMarker>empty();
        boolean orphaned = proof.isPresent() && vassal.isPresent() && proof.get().routerRespawnedSince(vassal.get().pid());
        boolean healthy = proof.isPresent() && !orphaned;
        boolean warm = healthy && marker(name, ReadyMarker.WARM).filter(m -> m.poolPid() == poolPid).isPresent();
        var found = new ObservedBuild(name, isFolder, record,
                isFolder && Files.isSymbolicLink(folder.resolve("vassal.ini")),
                isFolder && Files.isSymbolicLink(folder.resolve("zerg.ini")),
                vassal, pool, healthy, warm,
                HostFiles.readJson(layout.marker(name, BuildFailure.KIND), BuildFailure.class),
                isFolder ? readSmall(folder.resolve("live.conf")) : Optional.empty(),
                isFolder ? readSmall(folder.resolve("stage.conf")) : Optional.empty());
        return orphaned ? found.withOrphanedPool() : found;
    }

    private static Optional<String> readSmall(Path file) {
        try {
            return Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) && Files.size(file) < 64 * 1024
                    ? Optional.of(Files.readString(file)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private Optional<ReadyMarker> marker(String name, String kind) {
        return HostFiles.readJson(layout.marker(name, kind), ReadyMarker.class);
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
        String suffix = "." + BuildFailure.KIND + ".json";
        try (var entries = HostFiles.list(layout.run())) {
            for (Path entry : entries) {
                String file = entry.getFileName().toString();
                if (file.endsWith(suffix)) {
                    String name = file.substring(0, file.length() - suffix.length());
                    if (BuildNames.isValid(name)) {
                        names.add(name);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not list " + layout.run(), e);
        }
    }
}
