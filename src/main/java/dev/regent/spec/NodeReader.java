package dev.regent.spec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads typed values out of a composed node tree, collecting errors (with the field path and the
 * node's position) instead of throwing, and recording the line of every field it visits.
 */
final class NodeReader {
    record Entry(String key, Node keyNode, Node value) {
    }

    static final int MAX_ERRORS = 100;

    private final Path file;
    private final List<SpecError> errors = new ArrayList<>();
    private final Map<String, Integer> fieldLines = new LinkedHashMap<>();

    NodeReader(Path file) {
        this.file = file;
    }

    /** Sorted by position; capped so a large broken file gives a readable report. */
    List<SpecError> errors() {
        List<SpecError> sorted = new ArrayList<>(errors);
        sorted.sort(Comparator.comparingInt(SpecError::line).thenComparingInt(SpecError::column));
        if (sorted.size() <= MAX_ERRORS) {
            return sorted;
        }
        SpecError next = sorted.get(MAX_ERRORS);
        List<SpecError> shown = new ArrayList<>(sorted.subList(0, MAX_ERRORS));
        shown.add(new SpecError(file, next.line(), next.column(), "",
                (sorted.size() - MAX_ERRORS) + " more errors from here on are not shown"));
        return shown;
    }

    Map<String, Integer> fieldLines() {
        return fieldLines;
    }

    void error(Node at, String field, String message) {
        errors.add(new SpecError(file, at.getStartMark().getLine() + 1, at.getStartMark().getColumn() + 1, field,
                message));
    }

    void recordLine(String field, Node at) {
        fieldLines.put(field, at.getStartMark().getLine() + 1);
    }

    static boolean isNull(Node node) {
        return node instanceof ScalarNode scalar && scalar.isPlain() && Tag.NULL.equals(scalar.getTag());
    }

    static String describe(Node node) {
        if (node instanceof MappingNode) {
            return "a mapping";
        }
        if (node instanceof SequenceNode) {
            return "a list";
        }
        if (isNull(node)) {
            return "empty";
        }
        return "\"" + ((ScalarNode) node).getValue() + "\"";
    }

    /**
     * The entries of a mapping in file order, keyed by their scalar text. Reports a non-mapping,
     * non-scalar or duplicate keys, and (when {@code allowed} is present) keys outside it.
     */
    Optional<Map<String, Entry>> mapping(Node node, String field, Optional<Set<String>> allowed) {
        if (!(node instanceof MappingNode mapping)) {
            error(node, field, "must be a mapping (key: value lines), not " + describe(node));
            return Optional.empty();
        }
        Map<String, Entry> entries = new LinkedHashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
            Node keyNode = tuple.getKeyNode();
            if (!(keyNode instanceof ScalarNode scalarKey)) {
                error(keyNode, field, "keys must be plain words, not " + describe(keyNode));
                continue;
            }
            String key = scalarKey.getValue();
            String path = join(field, key);
            if (Tag.MERGE.equals(keyNode.getTag()) && scalarKey.isPlain()) {
                error(keyNode, path, "merge keys (<<) are not supported; write the fields out");
                continue;
            }
            if (entries.containsKey(key)) {
                error(keyNode, path, "duplicate key \"" + key + "\" (first at line "
                        + (entries.get(key).keyNode().getStartMark().getLine() + 1) + ")");
                continue;
            }
            if (allowed.isPresent() && !allowed.get().contains(key)) {
                error(keyNode, path, "unknown field \"" + key + "\"" + didYouMean(key, allowed.get())
                        + "; allowed: " + String.join(", ", allowed.get()));
                continue;
            }
            recordLine(path, keyNode);
            entries.put(key, new Entry(key, keyNode, tuple.getValueNode()));
        }
        return Optional.of(entries);
    }

    void require(Map<String, Entry> entries, Node parent, String field, String... keys) {
        for (String key : keys) {
            if (!entries.containsKey(key)) {
                error(parent, field.isEmpty() ? key : field, "missing required field \"" + key + "\"");
            }
        }
    }

    /**
     * A scalar read as text: numbers and booleans are fine where a string is expected; null is not,
     * nor a NUL character (a "\0" escape), which no file name, git ref or program argument can hold.
     */
    Optional<String> string(Node node, String field) {
        if (node instanceof ScalarNode scalar && !isNull(node)) {
            if (scalar.getValue().indexOf('\0') >= 0) {
                error(node, field, "must not contain the NUL character (\\0)");
                return Optional.empty();
            }
            return Optional.of(scalar.getValue());
        }
        error(node, field, isNull(node) ? "has no value" : "must be a string, not " + describe(node));
        return Optional.empty();
    }

    /** Only YAML 1.2 booleans: yes/no/on/off mean different things to different YAML readers. */
    Optional<Boolean> bool(Node node, String field) {
        if (node instanceof ScalarNode scalar && scalar.isPlain()) {
            switch (scalar.getValue()) {
                case "true", "True", "TRUE":
                    return Optional.of(true);
                case "false", "False", "FALSE":
                    return Optional.of(false);
                default:
                    break;
            }
        }
        error(node, field, "must be true or false, not " + describe(node));
        return Optional.empty();
    }

    Optional<List<Node>> sequence(Node node, String field) {
        if (node instanceof SequenceNode sequence) {
            return Optional.of(sequence.getValue());
        }
        error(node, field, "must be a list, not " + describe(node));
        return Optional.empty();
    }

    /** An optional string field, checked by {@code rule}; empty when absent or rejected (the problem is reported). */
    Optional<String> checked(Map<String, Entry> fields, String parent, String key, Function<String, Optional<String>> rule) {
        Entry entry = fields.get(key);
        if (entry == null) {
            return Optional.empty();
        }
        String field = join(parent, key);
        Optional<String> value = string(entry.value(), field);
        Optional<String> problem = value.flatMap(rule);
        problem.ifPresent(p -> error(entry.value(), field, p));
        return problem.isPresent() ? Optional.empty() : value;
    }

    /** The keys a mapping allows, in the order its messages list them. */
    static Set<String> keys(String... names) {
        return Collections.unmodifiableSet(new LinkedHashSet<>(List.of(names)));
    }

    static String join(String parent, String key) {
        return parent.isEmpty() ? key : parent + "." + key;
    }

    static String didYouMean(String key, Set<String> allowed) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : allowed) {
            int distance = distance(squash(key), squash(candidate));
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        int tolerance = Math.max(1, Math.min(2, key.length() / 3));
        return best != null && bestDistance <= tolerance ? " (did you mean \"" + best + "\"?)" : "";
    }

    /** Case and separators are the usual near misses: health_path, HealthPath, health-path. */
    private static String squash(String key) {
        return key.toLowerCase().replace("_", "").replace("-", "");
    }

    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitute, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
