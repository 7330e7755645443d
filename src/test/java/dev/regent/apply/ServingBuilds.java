package dev.regent.apply;

import dev.regent.fs.HostFiles;
import dev.regent.fs.HostLayout;
import dev.regent.observe.BuildRecord;
import dev.regent.observe.ReadyMarker;
import dev.regent.observe.StatsServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds a and b made and healthy on a temp host, as the observer sees serving builds: a build
 * record, fake stats sockets for the pool (pid 100 for a, 200 for b) and the router (pid + 50), and
 * a HEALTHY marker naming both pids.
 */
final class ServingBuilds {
    private ServingBuilds() {
    }

    /** Makes a and b under layout; the stats servers it answers are the caller's to close. */
    static List<StatsServer> make(HostLayout layout, Instant at) throws IOException {
        Files.createDirectories(layout.run());
        List<StatsServer> servers = new ArrayList<>();
        for (String build : List.of("a", "b")) {
            Path folder = Files.createDirectories(layout.build(build));
            HostFiles.writeJson(folder.resolve(BuildRecord.FILE), new BuildRecord(build, "v1", "commit-" + build, "app",
                    2000, "tag", at));
            int pid = build.equals("a") ? 100 : 200;
            servers.add(StatsServer.start(layout.poolStats(build), StatsServer.stats(pid, 1, 1)));
            servers.add(StatsServer.start(layout.vassalStats(build), StatsServer.stats(pid + 50)));
            HostFiles.writeJson(layout.marker(build, ReadyMarker.HEALTHY), new ReadyMarker(pid, pid + 50, at));
        }
        return servers;
    }
}
