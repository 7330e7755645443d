package dev.regent.cli;

import dev.regent.fleet.FleetHost;
import dev.regent.fleet.FleetSpec;
import dev.regent.fleet.RolloutPolicy;
import dev.regent.spec.DesiredState;
import dev.regent.spec.LoadResult;
import dev.regent.spec.SpecLoader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "validate", mixinStandardHelpOptions = true,
        description = {"Checks a desired-state file without touching the host. Exit 0 valid, 2 invalid.",
                "A fleet file (kind: Fleet) is checked as a whole and its hosts and rollout are printed; with --host, "
                        + "the host must also be one of its hosts."})
final class ValidateCommand implements Callable<Integer> {
    @Parameters(arity = "0..1", defaultValue = "desired-state.yaml", description = "File to check (default: ${DEFAULT-VALUE}).")
    Path file;

    @Option(names = "--host", paramLabel = "NAME", defaultValue = "${env:REGENT_HOST}",
            description = "Also check the file is a fleet file with this host (default: the environment variable "
                    + "REGENT_HOST).")
    String host;

    @Spec
    CommandSpec command;

    @Override
    public Integer call() {
        PrintWriter out = command.commandLine().getOut();
        PrintWriter err = command.commandLine().getErr();
        Optional<String> selected = Optional.ofNullable(host).filter(name -> !name.isBlank());
        LoadResult result = selected.isPresent() ? SpecLoader.load(file, selected) : SpecLoader.loadWholeFile(file);
        if (result instanceof LoadResult.Valid v) {
            DesiredState state = v.state();
            String counts = state.builds().size() + " builds, live " + state.live().orElse("(none)") + ", stage "
                    + state.stage().orElse("(none)");
            if (state.fleet().isEmpty()) {
                out.println(file + ": valid (" + counts + ")");
            } else {
                String what = selected.map(name -> "host " + name + " of fleet ").orElse("fleet ");
                out.println(file + ": valid for " + what + state.name() + " (" + counts + ")");
                fleetSummary(state.fleet().get()).forEach(line -> out.println("  " + line));
            }
            out.flush();
            return 0;
        }
        ((LoadResult.Invalid) result).errors().forEach(err::println);
        err.flush();
        return 2;
    }

    /** The hosts in file order (marked paused or drained) and the rollout policy with its defaults filled in. */
    static List<String> fleetSummary(FleetSpec fleet) {
        String hosts = String.join(", ", fleet.hosts().stream().map(ValidateCommand::describe).toList());
        RolloutPolicy rollout = fleet.rollout();
        String order = rollout.order().isEmpty() ? "by host name" : String.join(", ", rollout.order());
        return List.of("hosts: " + hosts,
                "rollout: maxParallel " + rollout.maxParallel() + ", order " + order + ", onFailure "
                        + rollout.onFailure().name().toLowerCase(Locale.ROOT) + ", slotTtl " + words(rollout.slotTtl()));
    }

    private static String describe(FleetHost host) {
        if (host.paused() && host.drained()) {
            return host.name() + " (paused, drained)";
        }
        return host.name() + (host.paused() ? " (paused)" : host.drained() ? " (drained)" : "");
    }

    private static String words(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + "s" : duration.toMillis() + "ms";
    }
}
