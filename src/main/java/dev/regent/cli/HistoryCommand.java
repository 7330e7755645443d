package dev.regent.cli;

import dev.regent.fs.HostLayout;
import dev.regent.history.HistoryEntry;
import dev.regent.history.PromotionHistory;
import dev.regent.reconcile.Journal;
import java.util.List;
import java.util.Map;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "history", mixinStandardHelpOptions = true,
        description = {"Shows the last promotions, newest last: when, revision and its signer, from and to, trigger "
                + "(file, git, cli, approval, rollback), duration, result and reason (kept across restarts).",
                "With --actions: the action journal instead (every action and reconcile with revision, outcome and duration)."})
final class HistoryCommand implements Callable<Integer> {
    @Mixin
    CommonOptions options;

    @Mixin
    OutputOption output;

    @Option(names = {"-n", "--lines"}, defaultValue = "30", description = "How many entries (default: ${DEFAULT-VALUE}).")
    int lines;

    @Option(names = "--actions", description = "Show the action journal (deploy/run/journal.jsonl) instead of promotions.")
    boolean actions;

    @Override
    public Integer call() {
        var layout = new HostLayout(options.root());
        if (!actions) {
            return promotions(layout);
        }
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

    private int promotions(HostLayout layout) {
        List<HistoryEntry> entries = PromotionHistory.read(PromotionHistory.file(layout), lines);
        if (!output.text()) {
            output.print(Map.of("entries", entries));
            return 0;
        }
        PrintWriter out = output.out();
        if (entries.isEmpty()) {
            out.println("No promotions yet: `regent run` records each one in deploy/run/history.jsonl"
                    + " (`regent history --actions` shows every action).");
            return 0;
        }
        for (var e : entries) {
            out.println(line(e));
        }
        return 0;
    }

    /** "2026-11-28T14:00:00Z  succeeded    a -> b  0a1b2c3d4e5f git        0.8s  signed by ...; reason". */
    static String line(HistoryEntry e) {
        String revision = e.revision().substring(0, Math.min(e.revision().startsWith("file:") ? 17 : 12,
                e.revision().length()));
        String detail = e.signer().map(s -> "signed by " + s + (e.reason().isBlank() ? "" : "; " + e.reason()))
                .orElse(e.reason());
        return String.format("%s  %-11s  %s -> %s  %-12s %-8s %6s  %s", e.at(), e.result(), e.from().orElse("-"),
                e.to().orElse("-"), revision, e.trigger(),
                e.durationMillis().map(ms -> String.format("%.1fs", ms / 1000.0)).orElse("-"),
                detail.replaceAll("\\p{Cntrl}", " ")).stripTrailing();
    }
}
