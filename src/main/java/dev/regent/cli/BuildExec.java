package dev.regent.cli;

import dev.regent.apply.BuildEnvironment;
import dev.regent.docker.DockerPort;
import dev.regent.fs.HostFiles;
import dev.regent.fs.HostLayout;
import dev.regent.observe.BuildRecord;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Runs a command in a build's environment in the web container through {@code docker exec},
 * attached to this terminal: {@code regent shell} and {@code regent manage}. The variables travel
 * in docker's own environment ({@code -e NAME} without a value), so the database URL never shows
 * on a command line.
 */
final class BuildExec {
    private BuildExec() {
    }

    /** The command's exit code; 1 after printing why when the build or the web container is missing. */
    static int run(CommonOptions options, String build, List<String> argsAfterPython) throws IOException, InterruptedException {
        var desired = options.load(System.err);
        if (desired.isEmpty()) {
            return 2;
        }
        var wiring = new Wiring(options.root());
        String name = Optional.ofNullable(build)
                .or(() -> HostFiles.readLink(wiring.layout.role(HostLayout.LIVE)))
                .orElse("");
        if (name.isEmpty() || !wiring.layout.build(name).resolve(BuildRecord.FILE).toFile().isFile()) {
            System.err.println("no complete build " + (name.isEmpty() ? "is live" : "named " + name) + " on this host");
            return 1;
        }
        var web = wiring.docker.find(desired.get().name(), "web").filter(DockerPort.Container::running);
        if (web.isEmpty()) {
            System.err.println("the web container of compose project " + desired.get().name() + " is not running");
            return 1;
        }
        BuildEnvironment env;
        try {
            env = BuildEnvironment.of(wiring.layout, name, wiring.layout.build(name));
        } catch (IllegalStateException e) {
            System.err.println(e.getMessage());
            return 1;
        }
        boolean terminal = System.console() != null;
        var command = new ArrayList<>(List.of("docker", "exec", terminal ? "-it" : "-i", "-w", env.folder()));
        env.variables().keySet().forEach(key -> command.addAll(List.of("-e", key)));
        command.add(web.get().id());
        command.add(env.python());
        command.addAll(argsAfterPython);
        var process = new ProcessBuilder(command).inheritIO();
        process.environment().putAll(env.variables());
        return process.start().waitFor();
    }
}
