package dev.regent.cli;

import dev.regent.reconcile.Journal;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "history", mixinStandardHelpOptions = true,
        description = "Shows the last actions and reconciles with revision, outcome and duration (kept across restarts).")
final class HistoryCommand implements Callable<Integer> {
    @Mixin
    CommonOptions options;

    @Mixin
    OutputOption output;

    @Option(names = {"-n", "--lines"}, defaultValue = "30", description = "How many entries (default: ${DEFAULT-VALUE}).")
    int lines;

    @Override
    public Integer call() {
        var layout = new dev.regent.fs.HostLayout(options.root());
        var entries = Journal.read(layout.journal(), lines);
        if (!output.text()) {
            output.print(entries);
            return 0;
        }
        PrintWriter out = output.out();
        if (entries.isEmpty()) {
            out.println("No history yet: `regent run` records every action in deploy/run/journal.jsonl.");
            return 0;
        }
        for (var e : entries) {
            String revision = e.revision().length() > 12 ? e.revision().substring(0, 12) : e.revision();
            if (e.kind().equals("reconcile")) {
                out.printf("%s  %-12s  reconcile %s%s%n", e.at(), revision, e.outcome(),
                        e.detail().isEmpty() ? "" : ": " + e.detail());
            } else {
                out.printf("%s  %-12s  %-7s %6.1fs  %s%s%n", e.at(), revision, e.outcome(), e.millis() / 1000.0,
                        e.action(), e.detail().isEmpty() ? "" : " (" + e.detail() + ")");
            }
        }
        return 0;
    }
}
