package dev.regent.cli;

import dev.regent.docker.DockerPort;
import dev.regent.fs.HostFiles;
import dev.regent.fs.HostLayout;
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
                .or(() -> HostFiles.readLink(wiring.layout.builds().resolve(HostLayout.LIVE)))
                .orElse("");
        if (name.isEmpty() || !wiring.layout.build(name).resolve("regent-build.json").toFile().isFile()) {
            System.err.println("no complete build " + (name.isEmpty() ? "is live" : "named " + name) + " on this host");
            return 1;
        }
        var web = wiring.docker.find(desired.get().name(), "web").filter(DockerPort.Container::running);
        if (web.isEmpty()) {
            System.err.println("the web container of compose project " + desired.get().name() + " is not running");
            return 1;
        }
        String folder = HostLayout.CONTAINER_ROOT + "/deploy/builds/" + name;
        var command = List.of("docker", "exec", "-it", "-w", folder,
                "-e", "DJANGO_SETTINGS_MODULE=regent_settings", "-e", "PYTHONPATH=" + folder + ":" + folder + "/app",
                "-e", "REGENT_BUILD=" + name, web.get().id(), folder + "/venv/bin/python", "app/manage.py", "shell");
        return new ProcessBuilder(command).inheritIO().start().waitFor();
    }
}
