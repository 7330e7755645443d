package dev.regent.spec;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads the lists of spec: the build steps, the sync windows, and a command line (a step's or
 * postMigrate's run), reporting each problem at its line through the shared {@link NodeReader}.
 * An item with a problem is left out; the others are kept.
 */
final class StepsReader {
    private static final Set<String> STEP_KEYS = NodeReader.keys("name", "run");
    private static final Set<String> WINDOW_KEYS = NodeReader.keys("kind", "schedule", "duration");

    private final NodeReader in;

    StepsReader(NodeReader in) {
        this.in = in;
    }

    List<Step> steps(NodeReader.Entry entry) {
        List<Step> steps = new ArrayList<>();
        Map<String, Node> seen = new HashMap<>();
        List<Node> items = in.sequence(entry.value(), "spec.steps").orElseGet(List::of);
        for (int i = 0; i < items.size(); i++) {
            String field = "spec.steps[" + i + "]";
            Node item = items.get(i);
            in.recordLine(field, item);
            Optional<Map<String, NodeReader.Entry>> found = in.mapping(item, field, Optional.of(STEP_KEYS));
            if (found.isEmpty()) {
                continue;
            }
            Map<String, NodeReader.Entry> f = found.get();
            in.require(f, item, field, "name", "run");
            Optional<String> name = in.checked(f, field, "name", SpecRules::stepNameProblem);
            name.filter(seen::containsKey).ifPresent(n -> in.error(f.get("name").value(), field + ".name",
                    "duplicate step name \"" + n + "\" (first at line "
                            + (seen.get(n).getStartMark().getLine() + 1) + ")"));
            name.ifPresent(n -> seen.putIfAbsent(n, f.get("name").value()));
            Optional<List<String>> run = Optional.ofNullable(f.get("run")).flatMap(e -> run(e, field + ".run"));
            if (name.isPresent() && run.isPresent()) {
                steps.add(new Step(name.get(), run.get()));
            }
        }
        return steps;
    }

    List<SyncWindow> windows(NodeReader.Entry entry) {
        List<SyncWindow> windows = new ArrayList<>();
        List<Node> items = in.sequence(entry.value(), "spec.syncWindows").orElseGet(List::of);
        for (int i = 0; i < items.size(); i++) {
            String field = "spec.syncWindows[" + i + "]";
            in.recordLine(field, items.get(i));
            Optional<Map<String, NodeReader.Entry>> found = in.mapping(items.get(i), field, Optional.of(WINDOW_KEYS));
            if (found.isEmpty()) {
                continue;
            }
            Map<String, NodeReader.Entry> f = found.get();
            in.require(f, items.get(i), field, "kind", "schedule", "duration");
            Optional<String> kind = in.checked(f, field, "kind", k -> k.equals("allow") || k.equals("deny")
                    ? Optional.empty() : Optional.of("kind must be allow or deny"));
            Optional<String> schedule = in.checked(f, field, "schedule", SyncWindow::scheduleProblem);
            Optional<String> duration = in.checked(f, field, "duration", d -> SyncWindow.parseDuration(d).isPresent()
                    ? Optional.empty() : Optional.of("duration \"" + d + "\" must look like 8h, 30m or 1h30m"));
            if (kind.isPresent() && schedule.isPresent() && duration.isPresent()) {
                windows.add(new SyncWindow(kind.get().equals("allow") ? SyncWindow.Kind.ALLOW : SyncWindow.Kind.DENY,
                        schedule.get(), SyncWindow.parseDuration(duration.get()).orElseThrow()));
            }
        }
        return windows;
    }

    /** A command line: a non-empty list of strings whose first, the program, is not empty. */
    Optional<List<String>> run(NodeReader.Entry entry, String field) {
        Optional<List<Node>> items = in.sequence(entry.value(), field);
        if (items.isEmpty()) {
            return Optional.empty();
        }
        if (items.get().isEmpty()) {
            in.error(entry.value(), field, "must list the program and its arguments, e.g. [python3, -V]");
            return Optional.empty();
        }
        List<String> args = new ArrayList<>();
        for (int i = 0; i < items.get().size(); i++) {
            in.string(items.get().get(i), field + "[" + i + "]").ifPresent(args::add);
        }
        if (args.size() != items.get().size()) {
            return Optional.empty();
        }
        if (args.get(0).isEmpty()) {
            in.error(items.get().get(0), field + "[0]", "the program to run must not be empty");
            return Optional.empty();
        }
        return Optional.of(List.copyOf(args));
    }
}
