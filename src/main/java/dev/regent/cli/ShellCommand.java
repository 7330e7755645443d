package dev.regent.cli;

import java.util.List;
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
        return BuildExec.run(options, build, List.of("app/manage.py", "shell"));
    }
}
