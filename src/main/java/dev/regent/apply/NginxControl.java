package dev.regent.apply;

import dev.regent.docker.ExecResult;
import dev.regent.fs.HostFiles;
import dev.regent.observe.NginxApplied;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reloads nginx safely: the config is tested first (a failing test reloads nothing), and the
 * reload is confirmed by effect, because {@code nginx -s reload} returns before the master applies it.
 */
public final class NginxControl {
    public static final int LIVE_PORT = 8080;
    public static final int STAGE_PORT = 8081;
    private final HostContext host;
    private final Probe probe;

    public NginxControl(HostContext host, Probe probe) {
        this.host = host;
        this.probe = probe;
    }

    public ActionResult reload(Optional<String> live, Optional<String> stage) {
        ExecResult test = host.execIn("nginx", List.of("nginx", "-t", "-c", "/code/conf/nginx/nginx.conf"),
                Optional.empty(), Map.of(), Duration.ofSeconds(20));
        if (!test.ok()) {
            return ActionResult.failed("nginx -t rejected the config, nothing was reloaded:\n" + test.tail(10));
        }
        ExecResult reload = host.execIn("nginx", List.of("nginx", "-s", "reload", "-c", "/code/conf/nginx/nginx.conf"),
                Optional.empty(), Map.of(), Duration.ofSeconds(20));
        if (!reload.ok()) {
            return ActionResult.failed("nginx -s reload failed:\n" + reload.tail(10));
        }
        boolean confirmed = host.waiter().until(host.timeouts().nginx(),
                () -> serves(LIVE_PORT, live) && serves(STAGE_PORT, stage));
        if (!confirmed) {
            return ActionResult.failed("nginx did not start serving live " + live.orElse("(none)") + " / stage "
                    + stage.orElse("(none)") + " within " + host.timeouts().nginx().toSeconds() + " s");
        }
        HostFiles.writeJson(host.layout().nginxApplied(), new NginxApplied(live, stage, host.clock().instant()));
        return ActionResult.done("confirmed: live " + live.orElse("(none)") + ", stage " + stage.orElse("(none)"));
    }

    private boolean serves(int port, Optional<String> build) {
        var answer = probe.get("nginx", "http://127.0.0.1:" + port + "/");
        return answer.map(a -> a.build().equals(build.orElse(""))).orElse(false);
    }
}
