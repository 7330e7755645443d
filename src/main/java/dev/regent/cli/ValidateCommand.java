package dev.regent.cli;

import dev.regent.spec.LoadResult;
import dev.regent.spec.SpecLoader;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Checks a desired-state file without touching the host. Exit 0 valid, 2 invalid.")
final class ValidateCommand implements Callable<Integer> {
    @Parameters(arity = "0..1", defaultValue = "desired-state.yaml", description = "File to check (default: ${DEFAULT-VALUE}).")
    Path file;

    @Override
    public Integer call() {
        LoadResult result = SpecLoader.load(file);
        if (result instanceof LoadResult.Valid v) {
            System.out.println(file + ": valid (" + v.state().builds().size() + " builds, live "
                    + v.state().live().orElse("(none)") + ", stage " + v.state().stage().orElse("(none)") + ")");
            return 0;
        }
        ((LoadResult.Invalid) result).errors().forEach(System.err::println);
        return 2;
    }
}
