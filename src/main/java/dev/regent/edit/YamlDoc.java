package dev.regent.edit;

import dev.regent.spec.SafeYaml;
import dev.regent.spec.SpecError;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.CollectionNode;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * A composed document plus the text it came from, with positions converted from snakeyaml's
 * code-point marks to {@code String} offsets. All editing is splicing text at these offsets.
 */
final class YamlDoc {
    private static final Path NAME = Path.of("desired-state.yaml");

    final String text;
    final MappingNode root;
    final String eol;

    private YamlDoc(String text, MappingNode root) {
        this.text = text;
        this.root = root;
        this.eol = text.contains("\r\n") ? "\r\n" : "\n";
    }

    static YamlDoc of(String text) {
        SafeYaml.Result result = SafeYaml.compose(NAME, text);
        if (result instanceof SafeYaml.Failed failed) {
            throw new EditException("cannot edit a file that does not parse: " + failed.errors().stream()
                    .map(SpecError::toString).collect(Collectors.joining("; ")));
        }
        SafeYaml.Composed composed = (SafeYaml.Composed) result;
        if (composed.usesAliases()) {
            // An alias's node carries the anchor's marks, so splicing at them would edit the wrong place.
            throw new EditException("the file uses YAML aliases (*name); edit it by hand");
        }
        if (composed.root().isEmpty() || !(composed.root().get() instanceof MappingNode root)) {
            throw new EditException("the file is not a YAML mapping");
        }
        return new YamlDoc(text, root);
    }

    MappingNode spec() {
        return find(root, "spec").map(NodeTuple::getValueNode).filter(MappingNode.class::isInstance)
                .map(MappingNode.class::cast)
                .orElseThrow(() -> new EditException("the file has no spec mapping"));
    }

    static Optional<NodeTuple> find(MappingNode mapping, String key) {
        return mapping.getValue().stream()
                .filter(t -> t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key))
                .findFirst();
    }

    static boolean isFlow(Node node) {
        return node instanceof CollectionNode<?> c && c.getFlowStyle() == DumperOptions.FlowStyle.FLOW;
    }

    static boolean isEmptyScalar(Node node) {
        return node instanceof ScalarNode s && s.getValue().isEmpty() && s.isPlain()
                && s.getStartMark().getIndex() == s.getEndMark().getIndex();
    }

    int offset(Mark mark) {
        return text.offsetByCodePoints(0, mark.getIndex());
    }

    int start(Node node) {
        return offset(node.getStartMark());
    }

    int end(Node node) {
        return offset(node.getEndMark());
    }

    static int column(Node node) {
        return node.getStartMark().getColumn();
    }

    static int line(Node node) {
        return node.getStartMark().getLine();
    }

    /**
     * Where a node's own text ends. Block collections end where the next token starts (after any
     * trailing comments and blank lines), so their end is taken from their last child instead;
     * block scalars include their trailing line breaks, which are not theirs to replace.
     */
    int contentEnd(Node node) {
        if (node instanceof MappingNode m && !isFlow(m) && !m.getValue().isEmpty()) {
            return contentEnd(m.getValue().get(m.getValue().size() - 1).getValueNode());
        }
        if (node instanceof SequenceNode s && !isFlow(s) && !s.getValue().isEmpty()) {
            return contentEnd(s.getValue().get(s.getValue().size() - 1));
        }
        int end = end(node);
        if (node instanceof ScalarNode) {
            int start = start(node);
            while (end > start && Character.isWhitespace(text.charAt(end - 1))) {
                end--;
            }
        }
        return end;
    }

    int lineStart(int pos) {
        return text.lastIndexOf('\n', pos - 1) + 1;
    }

    /** The offset of the line break ending the line that holds {@code pos} (or the end of the text). */
    int lineEnd(int pos) {
        int newline = text.indexOf('\n', pos);
        if (newline < 0) {
            return text.length();
        }
        return newline > 0 && text.charAt(newline - 1) == '\r' ? newline - 1 : newline;
    }

    int nextLineStart(int pos) {
        int newline = text.indexOf('\n', pos);
        return newline < 0 ? text.length() : newline + 1;
    }

    /** Start of the line holding {@code node}, provided only indentation precedes it there. */
    int ownLineStart(Node node) {
        int start = start(node);
        int lineStart = lineStart(start);
        if (!text.substring(lineStart, start).isBlank()) {
            throw new EditException("line " + (line(node) + 1) + " holds more than one entry; edit it by hand");
        }
        return lineStart;
    }

    String splice(int from, int to, String replacement) {
        return text.substring(0, from) + replacement + text.substring(to);
    }

    static String spaces(int count) {
        return " ".repeat(Math.max(0, count));
    }
}
