package dev.regent.observe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.regent.docker.DockerPort;
import dev.regent.docker.ExecResult;
import dev.regent.fs.HostFiles;
import dev.regent.fs.HostLayout;
import dev.regent.uwsgi.StatsReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ObserverTest {
    private static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");
    private static final ObservedHost.Containers UP = new ObservedHost.Containers(true, true);

    @TempDir
    Path tmp;
    HostLayout layout;
    Observer observer;

    /** observeFiles never touches Docker; observe() only lists containers. */
    static final class FakeDocker implements DockerPort {
        private final Map<String, Container> containers;

        FakeDocker(Map<String, Container> containers) {
            this.containers = containers;
        }

        @Override
        public Optional<Container> find(String project, String service) {
            return Optional.ofNullable(containers.get(project + "/" + service));
        }

        @Override
        public ExecResult exec(Container container, List<String> command, Optional<String> workdir,
                               Map<String, String> env, Duration timeout) {
            throw new UnsupportedOperationException("the observer must not exec");
        }
    }

    @BeforeEach
    void setUp() {
        layout = new HostLayout(tmp);
        observer = new Observer(layout, new FakeDocker(Map.of()), new StatsReader(Duration.ofMillis(300)));
    }

    private BuildRecord record(String name) {
        return new BuildRecord(name, "v1", "c0ffee" + name, "app", 2000, name + "-tag", T0);
    }

    private Path completeBuild(String name) throws IOException {
        Path folder = Files.createDirectories(layout.build(name));
        HostFiles.writeJson(folder.resolve(BuildRecord.FILE), record(name));
        return folder;
    }

    private void layOutTree() throws IOException {
        Path a = completeBuild("a");
        Files.createSymbolicLink(a.resolve("vassal.ini"), Path.of("../../../conf/uwsgi/vassal.skel"));
        Files.createSymbolicLink(a.resolve("zerg.ini"), Path.of("../../../conf/uwsgi/zerg.skel"));
        Files.writeString(a.resolve("live.conf"), "# live of a\n");
        Files.writeString(a.resolve("stage.conf"), "# stage of a\n");
        Path b = completeBuild("b");
        Files.createSymbolicLink(b.resolve("vassal.ini"), Path.of("../../../conf/uwsgi/vassal.skel"));
        Files.writeString(b.resolve("live.conf"), "# live of b\n");                  // no stage.conf
        Files.createSymbolicLink(b.resolve("stage.conf"), Path.of("../a/stage.conf")); // a link is not b's include
        Files.createDirectories(layout.build("c").resolve("app"));           // incomplete: no record
        Files.writeString(layout.build("c").resolve("vassal.ini"), "[uwsgi]\n"); // a file, not a link
        Files.createDirectories(layout.assembly("d").resolve("app"));
        Files.writeString(layout.builds().resolve(".e.tmp"), "not a folder");
        Files.writeString(layout.builds().resolve("README"), "x");
        Files.createDirectories(layout.builds().resolve("Bad_Name"));
        Files.createDirectories(layout.builds().resolve("abcd"));
        Files.createSymbolicLink(layout.builds().resolve("zz"), Path.of("a"));
        HostFiles.pointLink(layout.builds().resolve(HostLayout.LIVE), "a");
        HostFiles.pointLink(layout.builds().resolve(HostLayout.STAGE), "b");
        HostFiles.writeJson(layout.marker("e", BuildFailure.KIND),
                new BuildFailure("e", "v7", "collectstatic", "exit code 1\nboom", T0));
        HostFiles.writeJson(layout.marker("Bad", BuildFailure.KIND),
                new BuildFailure("Bad", "v7", "collectstatic", "boom", T0));
        HostFiles.writeJson(layout.nginxApplied(), new NginxApplied(Optional.of("a"), Optional.of("b"), T0,
                Optional.of("# live of a\n"), Optional.of("# stage of b\n")));
    }

    @Test
    void reportsFoldersLinksAssembliesAndMarkers() throws IOException {
        layOutTree();

        ObservedHost host = observer.observeFiles(UP);

        assertThat(host.builds()).containsOnlyKeys("a", "b", "c", "e");
        assertThat(host.assemblies()).containsExactly(".d.tmp");
        assertThat(host.live()).contains("a");
        assertThat(host.stage()).contains("b");
        assertThat(host.nginx()).contains(new NginxApplied(Optional.of("a"), Optional.of("b"), T0,
                Optional.of("# live of a\n"), Optional.of("# stage of b\n")));
        assertThat(host.containers()).isEqualTo(UP);

        ObservedBuild a = host.build("a");
        assertThat(a.folder()).isTrue();
        assertThat(a.complete()).isTrue();
        assertThat(a.record()).contains(record("a"));
        assertThat(a.vassalLinked()).isTrue();
        assertThat(a.poolLinked()).isTrue();
        assertThat(a.vassal()).isEmpty();
        assertThat(a.pool()).isEmpty();
        assertThat(a.healthy()).as("no stats socket answers").isFalse();
        assertThat(a.warm()).isFalse();
        assertThat(a.failure()).isEmpty();
        assertThat(a.liveInclude()).contains("# live of a\n");
        assertThat(a.stageInclude()).contains("# stage of a\n");

        ObservedBuild b = host.build("b");
        assertThat(b.complete()).isTrue();
        assertThat(b.vassalLinked()).isTrue();
        assertThat(b.poolLinked()).isFalse();
        assertThat(b.liveInclude()).contains("# live of b\n");
        assertThat(b.stageInclude()).as("a symlinked stage.conf is not read").isEmpty();

        ObservedBuild c = host.build("c");
        assertThat(c.folder()).isTrue();
        assertThat(c.complete()).isFalse();
        assertThat(c.vassalLinked()).as("a plain vassal.ini is not a link").isFalse();
        assertThat(c.liveInclude()).isEmpty();
        assertThat(c.stageInclude()).isEmpty();

        ObservedBuild e = host.build("e");
        assertThat(e.folder()).isFalse();
        assertThat(e.complete()).isFalse();
        assertThat(e.liveInclude()).isEmpty();
        assertThat(e.failure()).hasValueSatisfying(f -> {
            assertThat(f.ref()).isEqualTo("v7");
            assertThat(f.step()).isEqualTo("collectstatic");
            assertThat(f.output()).contains("boom");
        });

        assertThat(host.build("zz")).isEqualTo(ObservedBuild.absent("zz"));
    }

    @Test
    void theSiteIsReadAsNginxLastLoadedItAndAnUnreadableRecordBlocks() throws IOException {
        var tls = new dev.regent.spec.SiteSpec.TlsSpec("deploy/secrets/tls/fullchain.pem", "deploy/secrets/tls/privkey.pem",
                java.util.Optional.empty());
        var site = new dev.regent.spec.SiteSpec(java.util.List.of("example.com"), java.util.List.of(),
                java.util.Optional.of(tls), java.util.Optional.empty(), java.util.List.of());
        assertThat(observer.observeFiles(UP).site()).isEqualTo(ObservedSite.NONE);
        assertThat(observer.observeFiles(UP).certificate()).as("no TLS, nothing read").isEmpty();
        assertThat(observer.observeFiles(UP, site).certificate()).isPresent();

        var applied = new SiteApplied("abc", java.util.Optional.of("f1"), java.time.Instant.parse("2024-01-01T00:00:00Z"));
        dev.regent.fs.HostFiles.writeJson(layout.siteApplied(), applied);
        Files.createDirectories(layout.nginxFiles());
        Files.writeString(layout.nginxFiles().resolve("site.conf"), "# site\n");
        assertThat(observer.observeFiles(UP, site).site()).isEqualTo(new ObservedSite(java.util.Optional.of(applied), true));

        Files.writeString(layout.siteApplied(), "{not json");
        ObservedHost host = observer.observeFiles(UP, site);
        assertThat(host.unreadable()).singleElement().asString().startsWith("deploy/run/site-applied.json (");
    }

    @Test
    void emptyProjectFolderIsAnEmptyHost() {
        ObservedHost host = observer.observeFiles(new ObservedHost.Containers(false, true));

        assertThat(host.builds()).isEmpty();
        assertThat(host.assemblies()).isEmpty();
        assertThat(host.live()).isEmpty();
        assertThat(host.stage()).isEmpty();
        assertThat(host.nginx()).isEmpty();
        assertThat(host.containers().web()).isFalse();
    }

    @Test
    void healthAndWarmthCountOnlyForTheCurrentPoolPid() throws IOException {
        completeBuild("a");
        completeBuild("b");
        Files.createDirectories(layout.run());
        HostFiles.writeJson(layout.marker("a", ReadyMarker.HEALTHY), new ReadyMarker(42, T0));
        HostFiles.writeJson(layout.marker("a", ReadyMarker.WARM), new ReadyMarker(42, T0));
        HostFiles.writeJson(layout.marker("b", ReadyMarker.HEALTHY), new ReadyMarker(49, T0)); // an older pool
        HostFiles.writeJson(layout.marker("b", ReadyMarker.WARM), new ReadyMarker(50, T0));

        try (StatsServer aVassal = StatsServer.start(layout.vassalStats("a"), StatsServer.stats(41));
             StatsServer aPool = StatsServer.start(layout.poolStats("a"), StatsServer.stats(42, 1, 1));
             StatsServer bPool = StatsServer.start(layout.poolStats("b"), StatsServer.stats(50, 1))) {
            ObservedHost host = observer.observeFiles(UP);

            ObservedBuild a = host.build("a");
            assertThat(a.vassal()).hasValueSatisfying(s -> assertThat(s.pid()).isEqualTo(41));
            assertThat(a.pool()).hasValueSatisfying(s -> assertThat(s.pid()).isEqualTo(42));
            assertThat(a.poolAccepting()).isTrue();
            assertThat(a.healthy()).isTrue();
            assertThat(a.warm()).isTrue();

            ObservedBuild b = host.build("b");
            assertThat(b.pool()).hasValueSatisfying(s -> assertThat(s.pid()).isEqualTo(50));
            assertThat(b.healthy()).as("health proof of pid 49 does not carry over to pid 50").isFalse();
            assertThat(b.warm()).as("warm needs healthy").isFalse();
        }
    }

    @Test
    void aPoolWhoseRouterWasRespawnedSinceItsHealthProofIsOrphaned() throws IOException {
        completeBuild("a");
        completeBuild("b");
        Files.createDirectories(layout.run());
        HostFiles.writeJson(layout.marker("a", ReadyMarker.HEALTHY), new ReadyMarker(42, 40, T0));
        HostFiles.writeJson(layout.marker("a", ReadyMarker.WARM), new ReadyMarker(42, T0));
        HostFiles.writeJson(layout.marker("b", ReadyMarker.HEALTHY), new ReadyMarker(52, 51, T0));

        try (StatsServer aVassal = StatsServer.start(layout.vassalStats("a"), StatsServer.stats(41));
             StatsServer aPool = StatsServer.start(layout.poolStats("a"), StatsServer.stats(42, 1, 1));
             StatsServer bVassal = StatsServer.start(layout.vassalStats("b"), StatsServer.stats(51));
             StatsServer bPool = StatsServer.start(layout.poolStats("b"), StatsServer.stats(52, 1, 1))) {
            ObservedHost host = observer.observeFiles(UP);

            assertThat(host.build("a").poolOrphaned()).as("router 40 was replaced by 41").isTrue();
            assertThat(host.build("a").healthy()).isFalse();
            assertThat(host.build("a").warm()).isFalse();
            assertThat(host.build("b").poolOrphaned()).isFalse();
            assertThat(host.build("b").healthy()).isTrue();
        }
    }

    @Test
    void unreadableFilesTheSafetyRulesReadAreReportedNotDropped() throws IOException {
        completeBuild("a");
        Files.writeString(completeBuild("b").resolve(BuildRecord.FILE), "{\"name\": ");
        HostFiles.pointLink(layout.builds().resolve(HostLayout.LIVE), "a");
        Files.createDirectories(layout.run());
        Files.writeString(layout.nginxApplied(), "{\"live\": \"a\", \"stage\": ");
        Files.writeString(layout.marker("a", ReadyMarker.HEALTHY), "garbage");

        ObservedHost host = observer.observeFiles(UP);

        assertThat(host.unreadable()).hasSize(2)
                .anySatisfy(u -> assertThat(u).startsWith("deploy/run/nginx-applied.json (").contains("line 1"))
                .anySatisfy(u -> assertThat(u).startsWith("deploy/builds/b/regent-build.json ("));
        assertThat(host.nginx()).isEmpty();
        assertThat(host.live()).contains("a");
        assertThat(host.build("a").healthy()).as("a corrupt health proof proves nothing").isFalse();
    }

    @Test
    void aHealthProofWithoutARunningPoolIsNotHealthy() throws IOException {
        completeBuild("a");
        HostFiles.writeJson(layout.marker("a", ReadyMarker.HEALTHY), new ReadyMarker(-1, T0));

        ObservedBuild a = observer.observeFiles(UP).build("a");

        assertThat(a.pool()).isEmpty();
        assertThat(a.healthy()).isFalse();
    }

    @Test
    void observeAsksDockerOnlyWhichContainersRun() {
        Observer withDocker = new Observer(layout, new FakeDocker(Map.of(
                "proj/web", new DockerPort.Container("1", "proj-web-1", true),
                "proj/nginx", new DockerPort.Container("2", "proj-nginx-1", false))),
                new StatsReader(Duration.ofMillis(300)));

        ObservedHost host = withDocker.observe("proj");
        ObservedHost other = withDocker.observe("other");

        assertThat(host.containers()).isEqualTo(new ObservedHost.Containers(true, false));
        assertThat(other.containers()).isEqualTo(new ObservedHost.Containers(false, false));
    }

    @Test
    void aTooLargeOrUnreadableIncludeIsNotReported() throws IOException {
        Path a = completeBuild("a");
        Files.writeString(a.resolve("live.conf"), "#".repeat(64 * 1024));
        Files.createDirectories(a.resolve("stage.conf"));

        ObservedBuild found = observer.observeFiles(UP).build("a");

        assertThat(found.liveInclude()).isEmpty();
        assertThat(found.stageInclude()).isEmpty();
    }

    @Test
    void nginxRecordOfAnOlderRegentHasNoIncludes() throws IOException {
        Files.createDirectories(layout.run());
        Files.writeString(layout.nginxApplied(), """
                {"live" : "a", "stage" : "b", "at" : "2024-01-01T00:00:00Z"}
                """);

        ObservedHost host = observer.observeFiles(UP);

        assertThat(host.nginx()).contains(new NginxApplied(Optional.of("a"), Optional.of("b"), T0));
        assertThat(host.nginx()).hasValueSatisfying(n -> {
            assertThat(n.liveInclude()).isEmpty();
            assertThat(n.stageInclude()).isEmpty();
        });
    }
}
