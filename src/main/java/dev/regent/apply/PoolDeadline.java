package dev.regent.apply;

import com.fasterxml.jackson.databind.JsonNode;
import dev.regent.docker.DockerPort.Container;
import dev.regent.docker.ExecResult;
import dev.regent.fs.HostFiles;
import dev.regent.fs.HostLayout;
import dev.regent.observe.BuildFailure;
import dev.regent.observe.BuildRecord;
import dev.regent.safety.RoleHolders;
import dev.regent.uwsgi.StatsReader.UwsgiStats;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * One wait for a build's new worker pool (to come up, then to pass its health check). When the
 * wait misses its deadline, decides whether the build is at fault and, if so, records it as failed
 * (a {@link BuildFailure} the planner then never waits on again).
 *
 * <p>The rule, so that a host problem never marks a good build failed: the build is blamed only if
 * (1) the pools' emperor in the web container answered its stats socket at every poll of the wait,
 * so neither the container nor the emperor restarted meanwhile (a restart takes seconds, polls are
 * a fraction of a second apart) and the emperor had the whole deadline to start the pool; (2) the
 * emperor listed this build's pool at some poll, running or throttled after its master died, so the
 * pool was really tried; (3) at the deadline Docker answers and reports the web container running
 * (Docker being down raises, which fails the wait without a record); and (4) no role points at the
 * build (_live, _stage, nginx's confirmed config), whose repair must go on being retried. Otherwise
 * the wait fails as before and the next reconcile waits again.
 */
final class PoolDeadline {
    private static final String IMPORT = "import sys; __import__(sys.argv[1])";
    private final HostContext host;
    private final HostLayout layout;
    private final String build;
    private final String poolId;
    private boolean steady = true;
    private Optional<String> emperorView = Optional.empty();

    PoolDeadline(HostContext host, String build) {
        this.host = host;
        this.layout = host.layout();
        this.build = build;
        this.poolId = layout.inContainer(layout.poolIni(build));
    }

    /** Called at every poll of the wait: reads the pools' emperor. */
    void poll() {
        Optional<JsonNode> emperor = host.stats().read(layout.emperorStats()).map(UwsgiStats::raw);
        if (emperor.isEmpty()) {
            steady = false;
            return;
        }
        for (JsonNode vassal : emperor.get().path("vassals")) {
            if (poolId.equals(vassal.path("id").asText())) {
                emperorView = Optional.of("the emperor runs it as pid " + vassal.path("pid").asInt()
                        + " (respawned " + vassal.path("respawns").asInt() + " times)");
            }
        }
        for (JsonNode entry : emperor.get().path("blacklist")) {
            if (poolId.equals(entry.path("id").asText())) {
                emperorView = Optional.of("its master exited at start and the emperor throttles its respawns (attempt "
                        + entry.path("attempt").asInt() + ")");
            }
        }
    }

    /** The pool never answered its stats socket with every worker accepting. */
    ActionResult poolDidNotStart(String summary) {
        Optional<String> excuse = hostExcuse();
        if (excuse.isPresent()) {
            return ActionResult.failed(summary + "; not marked failed: " + excuse.get());
        }
        return record(BuildFailure.POOL_STEP, summary + "; " + emperorView.orElseThrow() + "\n" + importTail());
    }

    /** The pool ran, but the health check never passed. */
    ActionResult unhealthy(String summary) {
        Optional<String> excuse = hostExcuse();
        if (excuse.isPresent()) {
            return ActionResult.failed(summary + "; not marked failed: " + excuse.get());
        }
        return record(BuildFailure.HEALTH_STEP, summary);
    }

    private Optional<String> hostExcuse() {
        if (!steady) {
            return Optional.of("the pools' emperor of the web container did not answer throughout the wait "
                    + "(the container restarting?), so the build gets another wait");
        }
        if (emperorView.isEmpty()) {
            return Optional.of("the pools' emperor never listed the pool of build " + build);
        }
        boolean webRunning = host.docker().find(host.project(), "web").map(Container::running).orElse(false);
        if (!webRunning) {
            return Optional.of("the web container is not running");
        }
        return RoleHolders.onDisk(layout).refusal(build)
                .map(why -> why + ", so its repair is retried");
    }

    private ActionResult record(String step, String output) {
        Optional<BuildRecord> made = HostFiles.readJson(layout.build(build).resolve(BuildRecord.FILE), BuildRecord.class);
        if (made.isEmpty()) {
            return ActionResult.failed(output + "\n(not marked failed: build " + build + " has no regent-build.json)");
        }
        HostFiles.writeJson(layout.marker(build, BuildFailure.KIND),
                new BuildFailure(build, made.get().ref(), step, output, host.clock().instant()));
        return ActionResult.failed("build " + build + " failed at step \"" + step + "\" and is marked failed, so it is "
                + "not started again: " + output);
    }

    /**
     * Imports the build's WSGI module in its environment, as its pool does: the traceback the
     * pool's master printed to the web container's log before it died, without reading that log.
     */
    private String importTail() {
        Path folder = layout.build(build);
        Optional<String> module = BuildIni.read(folder).map(BuildIni::wsgiModule);
        if (module.isEmpty()) {
            return "(" + BuildIni.FILE + " names no WSGI module)";
        }
        var env = BuildEnvironment.of(layout, build, folder);
        ExecResult result = host.execIn("web", List.of(env.python(), "-c", IMPORT, module.get()),
                Optional.of(env.folder() + "/app"), env.variables(), Duration.ofSeconds(20));
        if (result.ok()) {
            return "importing " + module.get() + " as the pool does succeeds; see the web container's log";
        }
        return "importing " + module.get() + " as the pool does: "
                + (result.timedOut() ? "no end within 20 s" : "exit code " + result.exitCode()) + "\n" + result.tail(12);
    }
}
