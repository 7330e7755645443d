package dev.regent.bench;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.regent.fs.HostFiles;
import dev.regent.fs.HostLayout;
import dev.regent.nginx.NginxIncludes;
import dev.regent.observe.BuildRecord;
import dev.regent.observe.ObservedHost;
import dev.regent.observe.Observer;
import dev.regent.plan.Plans;
import dev.regent.spec.BuildNames;
import dev.regent.spec.DesiredState;
import dev.regent.spec.LoadResult;
import dev.regent.spec.SpecLoader;
import dev.regent.spec.Strategy;
import dev.regent.uwsgi.StatsReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Times observe + plan on a host with N complete builds (synthetic folders with their records,
 * links and includes; no processes, so no stats socket answers). Prints "median X ms, p99 Y ms".
 * Lives in the test tree, so it is not in the production jar. Usage, after
 * {@code mvn -DskipTests package}: {@code java -cp target/regent.jar:target/test-classes dev.regent.bench.PlanBench [N]}
 */
public final class PlanBench {
    private PlanBench() {
    }

    public static void main(String[] args) throws Exception {
        int builds = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        Path root = Files.createTempDirectory("regent-planbench");
        var layout = new HostLayout(root);
        Map<String, Object> listed = new LinkedHashMap<>();
        for (int i = 0; i < builds; i++) {
            String name = BuildNames.name(i);
            listed.put(name, Map.of("ref", "HEAD"));
            Path folder = layout.build(name);
            Files.createDirectories(folder.resolve("app"));
            HostFiles.writeJson(folder.resolve(BuildRecord.FILE), new BuildRecord(name, "HEAD", "0".repeat(40), "app",
                    BuildNames.port(name), name + "-tag", Instant.EPOCH));
            for (String role : List.of(NginxIncludes.LIVE, NginxIncludes.STAGE)) {
                Files.writeString(folder.resolve(NginxIncludes.fileName(role)),
                        NginxIncludes.content(Strategy.SOCKET, name, role, BuildNames.port(name)));
            }
            Files.createSymbolicLink(folder.resolve("vassal.ini"), Path.of("../../../conf/uwsgi/vassal.skel"));
            Files.createSymbolicLink(folder.resolve("zerg.ini"), Path.of("../../../conf/uwsgi/zerg.skel"));
        }
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("source", Map.of("repo", ".", "path", "app"));
        spec.put("builds", listed);
        spec.put("live", "a");
        spec.put("stage", "b");
        Map<String, Object> file = new LinkedHashMap<>();
        file.put("apiVersion", "regent/v1");
        file.put("kind", "Host");
        file.put("metadata", Map.of("name", "bench"));
        file.put("spec", spec);
        HostFiles.pointLink(layout.builds().resolve(HostLayout.LIVE), "a");
        HostFiles.pointLink(layout.builds().resolve(HostLayout.STAGE), "b");
        new YAMLMapper().writeValue(root.resolve("desired-state.yaml").toFile(), file);
        DesiredState desired = ((LoadResult.Valid) SpecLoader.load(root.resolve("desired-state.yaml"))).state();
        var observer = new Observer(layout, new dev.regent.docker.NoDocker(), new StatsReader(Duration.ofMillis(50)));
        var containers = new ObservedHost.Containers(true, true);
        var clock = Clock.systemUTC();
        for (int i = 0; i < 50; i++) {
            Plans.now(desired, observer.observeFiles(containers), clock);
        }
        long[] nanos = new long[200];
        int actions = 0;
        for (int i = 0; i < nanos.length; i++) {
            long start = System.nanoTime();
            actions = Plans.now(desired, observer.observeFiles(containers), clock).actions().size();
            nanos[i] = System.nanoTime() - start;
        }
        Arrays.sort(nanos);
        System.out.printf("median %.1f ms, p99 %.1f ms (%d builds, %d actions planned)%n",
                nanos[nanos.length / 2] / 1e6, nanos[(int) (nanos.length * 0.99)] / 1e6, builds, actions);
        HostFiles.removeTree(layout.deploy(), root);
    }
}
