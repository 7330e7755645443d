package dev.regent.apply;

import dev.regent.docker.ExecResult;
import dev.regent.fs.HostFiles;
import dev.regent.fs.HostLayout;
import dev.regent.nginx.NginxIncludes;
import dev.regent.spec.Strategy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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

    /** nginx -t on the config as it is now: empty if it passes, else nginx's own message. */
    public Optional<String> testConfig() {
        ExecResult test = host.execIn("nginx", List.of("nginx", "-t", "-c", "/code/conf/nginx/nginx.conf"),
                Optional.empty(), Map.of(), Duration.ofSeconds(20));
        return test.ok() ? Optional.empty() : Optional.of(test.tail(10));
    }

    public ActionResult reload(Optional<String> live, Optional<String> stage, Strategy strategy) {
        Optional<String> rejected = testConfig();
        if (rejected.isPresent()) {
            return ActionResult.failed("nginx -t rejected the config, nothing was reloaded:\n" + rejected.get());
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
        Optional<String> liveInclude = include(HostLayout.LIVE, NginxIncludes.LIVE);
        Optional<String> stageInclude = include(HostLayout.STAGE, NginxIncludes.STAGE);
        HostFiles.writeJson(host.layout().nginxApplied(), new NginxApplied(
                live.filter(b -> liveInclude.filter(i -> NginxIncludes.pinsBuild(i, NginxIncludes.LIVE)).isPresent()),
                stage.filter(b -> stageInclude.filter(i -> NginxIncludes.pinsBuild(i, NginxIncludes.STAGE)).isPresent()),
                host.clock().instant(), liveInclude, stageInclude));
        return ActionResult.done("confirmed: live " + live.orElse("(none)") + ", stage " + stage.orElse("(none)"));
    }

    /** The include nginx just loaded for a role, read through the role's link as nginx reads it. */
    private Optional<String> include(String link, String role) {
        Path file = host.layout().builds().resolve(link).resolve(NginxIncludes.fileName(role));
        try {
            return Files.isRegularFile(file) ? Optional.of(Files.readString(file)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    boolean serves(int port, Optional<String> build) {
        var answer = probe.get("nginx", "http://127.0.0.1:" + port + "/");
        return answer.map(a -> a.build().equals(build.orElse(""))).orElse(false);
    }
}
