package dev.regent.cli;

import dev.regent.apply.BuildEnvironment;
import dev.regent.docker.DockerPort;
import dev.regent.fs.HostFiles;
import dev.regent.fs.HostLayout;
import dev.regent.observe.BuildRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "shell", mixinStandardHelpOptions = true,
        description = "Opens a Django shell in a build's environment in the web container (default: the live build).")
final class ShellCommand implements Callable<Integer> {
    @Mixin
    CommonOptions options;

    @Parameters(arity = "0..1", description = "Build name (default: the build _live points at).")
    String build;

    @Override
    public Integer call() throws Exception {
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
        var env = new BuildEnvironment(name, wiring.layout.inContainer(wiring.layout.build(name)));
        var command = new ArrayList<>(List.of("docker", "exec", "-it", "-w", env.folder()));
        env.variables().forEach((key, value) -> command.addAll(List.of("-e", key + "=" + value)));
        command.addAll(List.of(web.get().id(), env.python(), "app/manage.py", "shell"));
        return new ProcessBuilder(command).inheritIO().start().waitFor();
    }
}
