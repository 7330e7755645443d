package dev.regent.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "manage", mixinStandardHelpOptions = true,
        description = {"Runs a Django management command in a build's environment in the web container "
                + "(its Python, settings and DATABASE_URL), e.g. regent manage a -- migrate.",
                "Its output is streamed and its exit code is regent's."})
final class ManageCommand implements Callable<Integer> {
    @Mixin
    CommonOptions options;

    @Parameters(index = "0", description = "Build name.")
    String build;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "ARGS",
            description = "The command and its arguments, after --: manage.py's own options are not regent's.")
    List<String> args;

    @Override
    public Integer call() throws Exception {
        var command = new ArrayList<>(List.of("app/manage.py"));
        command.addAll(args);
        return BuildExec.run(options, build, command);
    }
}
