package dev.regent.cli;

import dev.regent.spec.LoadResult;
import dev.regent.spec.SpecLoader;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Options every command shares: where the project is and which desired-state file to use. */
final class CommonOptions {
    @Option(names = "--root", description = "Project folder: holds deploy/, conf/ and the compose file (default: the desired-state file's folder).")
    Path root;

    @Option(names = {"-f", "--file"}, defaultValue = "desired-state.yaml",
            description = "Desired-state file (default: ${DEFAULT-VALUE}).")
    Path file;

    Path file() {
        return file.toAbsolutePath().normalize();
    }

    Path root() {
        return Optional.ofNullable(root).orElse(file().getParent()).toAbsolutePath().normalize();
    }

    /** The validated desired state, or empty after printing every error to err. */
    Optional<dev.regent.spec.DesiredState> load(PrintStream err) {
        return loadResult(err) instanceof LoadResult.Valid v ? Optional.of(v.state()) : Optional.empty();
    }

    /** The file read and validated; when it is invalid, every error has been printed to err. */
    LoadResult loadResult(PrintStream err) {
        LoadResult result = SpecLoader.load(file());
        if (result instanceof LoadResult.Invalid invalid) {
            err.println("desired state rejected, nothing was changed:");
            invalid.errors().forEach(e -> err.println("  " + e));
        }
        return result;
    }
}
