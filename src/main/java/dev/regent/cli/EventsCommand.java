package dev.regent.cli;

import dev.regent.reconcile.Journal;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "events", mixinStandardHelpOptions = true,
        description = "Shows recent events: promotions, drift, failures and reconciles that did not converge, with reasons.")
final class EventsCommand implements Callable<Integer> {
    @Mixin
    CommonOptions options;

    @Mixin
    OutputOption output;

    @Option(names = {"-n", "--lines"}, defaultValue = "20", description = "How many events (default: ${DEFAULT-VALUE}).")
    int lines;

    @Override
    public Integer call() {
        var layout = new dev.regent.fs.HostLayout(options.root());
        var events = Journal.read(layout.journal(), 5000).stream()
                .filter(e -> e.kind().equals("drift") || e.kind().equals("reconcile") || e.outcome().equals("failed")
                        || e.action().startsWith("make build"))
                .toList();
        var last = events.subList(Math.max(0, events.size() - lines), events.size());
        if (!output.text()) {
            output.print(last);
            return 0;
        }
        PrintWriter out = output.out();
        if (last.isEmpty()) {
            out.println("No events yet.");
        }
        for (var e : last) {
            String what = switch (e.kind()) {
                case "drift" -> "Drift        " + e.action();
                case "reconcile" -> "Reconcile    " + e.outcome() + (e.detail().isEmpty() ? "" : ": " + e.detail());
                default -> (e.outcome().equals("failed") ? "Failed       " : "Promotion    ") + e.action()
                        + (e.detail().isEmpty() ? "" : " (" + e.detail() + ")");
            };
            String revision = e.revision().length() > 12 ? e.revision().substring(0, 12) : e.revision();
            out.printf("%s  %-12s  %s%n", e.at(), revision, what);
        }
        return 0;
    }
}
