package dev.regent.cli;

import dev.regent.fs.HostFiles;
import dev.regent.plan.Planner;
import dev.regent.status.HostStatus;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Shows each build (commit, role, processes, health) and whether the host has converged. "
                + "Exit 0 when converged, 1 when not, 2 when the desired state is invalid.")
final class StatusCommand implements Callable<Integer> {
    @Mixin
    CommonOptions options;

    @Option(names = {"-o", "--output"}, defaultValue = "table", description = "table or json (default: ${DEFAULT-VALUE}).")
    String output;

    @Override
    public Integer call() throws Exception {
        var desired = options.load(System.err);
        if (desired.isEmpty()) {
            return 2;
        }
        var wiring = new Wiring(options.root());
        var observed = wiring.observe(desired.get());
        var status = HostStatus.of(desired.get(), observed, Planner.plan(desired.get(), observed));
        if ("json".equals(output)) {
            System.out.println(HostFiles.JSON.writeValueAsString(status));
        } else {
            printTable(status);
            HostFiles.readJson(wiring.layout.run().resolve("last-reconcile.json"), RunCommand.LastReconcile.class)
                    .ifPresent(last -> System.out.println("last reconcile by regent run: " + last.outcome() + " at " + last.at()
                            + (last.reasons().isEmpty() ? "" : ": " + String.join("; ", last.reasons()))));
        }
        return status.converged() ? 0 : 1;
    }

    private static void printTable(HostStatus status) {
        System.out.printf("live: %s   stage: %s   %s%n", status.live().orElse("(none)"), status.stage().orElse("(none)"),
                status.converged() ? "CONVERGED" : "NOT CONVERGED");
        System.out.printf("%-6s %-11s %-8s %-12s %-10s %-10s %-9s %-8s %-8s%n",
                "BUILD", "ROLE", "LISTED", "COMMIT", "VASSAL", "POOL", "WORKERS", "HEALTHY", "REQUESTS");
        for (var b : status.builds()) {
            System.out.printf("%-6s %-11s %-8s %-12s %-10s %-10s %-9s %-8s %-8d%n",
                    b.name(), b.roles().isEmpty() ? "-" : String.join(",", b.roles()),
                    b.listed() ? (b.active() ? "active" : "inactive") : "no",
                    b.commit().map(c -> c.substring(0, Math.min(12, c.length()))).orElse("-"),
                    b.vassal(), b.pool(), b.accepting() + "/" + b.workers(), b.healthy() ? "yes" : "no", b.requests());
            b.failure().ifPresent(f -> System.out.printf("       failed at step \"%s\":%n%s%n", f.step(),
                    f.output().strip().indent(8).stripTrailing()));
        }
        status.plan().forEach(p -> System.out.println("to do: " + p));
        status.blocked().forEach(p -> System.out.println("blocked: " + p));
        status.errors().forEach(p -> System.out.println("error: " + p));
    }
}
