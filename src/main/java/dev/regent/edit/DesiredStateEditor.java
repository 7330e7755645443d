package dev.regent.edit;

import java.util.List;
import java.util.Optional;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * Text edits of desired-state.yaml that keep comments, blank lines, key order and style: each edit
 * splices a few characters at positions taken from the composed node tree and leaves every other
 * byte alone. Values are quoted when a YAML reader could take them for something other than a
 * string. Throws {@link EditException} when the text cannot be edited safely.
 */
public final class DesiredStateEditor {
    private static final int DEFAULT_STEP = 2;

    private DesiredStateEditor() {
    }

    public static String setLive(String text, String name) {
        return setSpecScalar(text, "live", name, List.of("builds"));
    }

    /** Sets spec.stage, adding the key after spec.live (or spec.builds) when absent. */
    public static String setStage(String text, String name) {
        return setSpecScalar(text, "stage", name, List.of("live", "builds"));
    }

    /** Removes spec.live; returns the text unchanged when it is absent. */
    public static String clearLive(String text) {
        return removeSpecKey(text, "live");
    }

    /** Removes spec.stage; returns the text unchanged when it is absent. */
    public static String clearStage(String text) {
        return removeSpecKey(text, "stage");
    }

    /**
     * Appends {@code name: {ref: ref}} to spec.builds in the style of the entries already there
     * (flow {@code {ref: x}} or a block mapping), creating spec.builds if needed.
     */
    public static String addBuild(String text, String name, String ref) {
        YamlDoc doc = YamlDoc.of(text);
        MappingNode spec = doc.spec();
        String key = YamlScalars.format(name);
        String flowEntry = key + ": {ref: " + YamlScalars.format(ref) + "}";
        Optional<NodeTuple> builds = YamlDoc.find(spec, "builds");
        if (builds.isEmpty()) {
            if (YamlDoc.isFlow(spec)) {
                return insertEntry(doc, spec, "builds: {" + flowEntry + "}", Optional.empty());
            }
            int indent = YamlDoc.column(spec.getValue().get(0).getKeyNode());
            String entry = "builds:" + doc.eol + YamlDoc.spaces(indent + step(doc, spec)) + flowEntry;
            return insertEntry(doc, spec, entry, Optional.empty());
        }
        Node value = builds.get().getValueNode();
        if (value instanceof ScalarNode scalar && YamlDoc.isEmptyScalar(scalar) && YamlDoc.isFlow(spec)) {
            return replaceScalar(doc, scalar, "{" + flowEntry + "}");
        }
        if (value instanceof ScalarNode scalar && YamlDoc.isEmptyScalar(scalar)) {
            // "builds:" with nothing after it (maybe a comment): the first entry goes on the next line.
            int keyColumn = YamlDoc.column(builds.get().getKeyNode());
            int at = doc.lineEnd(doc.start(scalar));
            return doc.splice(at, at, doc.eol + YamlDoc.spaces(keyColumn + step(doc, spec)) + flowEntry);
        }
        if (value instanceof ScalarNode scalar && scalar.isPlain() && isNullWord(scalar.getValue())) {
            return doc.splice(doc.start(scalar), doc.contentEnd(scalar), "{" + flowEntry + "}");
        }
        if (!(value instanceof MappingNode mapping)) {
            throw new EditException("spec.builds is not a mapping");
        }
        if (YamlDoc.find(mapping, name).isPresent()) {
            throw new EditException("build " + name + " is already listed");
        }
        if (YamlDoc.isFlow(mapping) || mapping.getValue().isEmpty()) {
            return insertEntry(doc, mapping, flowEntry, Optional.empty());
        }
        // {ref: x} unless every entry so far is a block mapping; then follow them.
        boolean allBlock = mapping.getValue().stream().allMatch(t -> t.getValueNode() instanceof MappingNode m
                && !YamlDoc.isFlow(m) && !m.getValue().isEmpty());
        if (allBlock) {
            MappingNode last = (MappingNode) mapping.getValue().get(mapping.getValue().size() - 1).getValueNode();
            int childColumn = YamlDoc.column(last.getValue().get(0).getKeyNode());
            String block = key + ":" + doc.eol + YamlDoc.spaces(childColumn) + "ref: " + YamlScalars.format(ref);
            return insertEntry(doc, mapping, block, Optional.empty());
        }
        return insertEntry(doc, mapping, flowEntry, Optional.empty());
    }

    /** true removes an {@code active} key (active is the default); false sets or adds {@code active: false}. */
    public static String setActive(String text, String name, boolean active) {
        YamlDoc doc = YamlDoc.of(text);
        MappingNode build = buildMapping(doc, name);
        Optional<NodeTuple> current = YamlDoc.find(build, "active");
        if (active) {
            return current.map(t -> removeEntry(doc, build, t)).orElse(text);
        }
        if (current.isPresent()) {
            return replaceScalar(doc, current.get().getValueNode(), "false");
        }
        return insertEntry(doc, build, "active: false", Optional.empty());
    }

    /** Sets or adds {@code allowUnsafeRollback: true} on a listed build. */
    public static String allowUnsafeRollback(String text, String name) {
        YamlDoc doc = YamlDoc.of(text);
        MappingNode build = buildMapping(doc, name);
        Optional<NodeTuple> current = YamlDoc.find(build, "allowUnsafeRollback");
        if (current.isPresent()) {
            return replaceScalar(doc, current.get().getValueNode(), "true");
        }
        return insertEntry(doc, build, "allowUnsafeRollback: true", Optional.empty());
    }

    /** Removes the entry of spec.builds named {@code name}: its lines in block style, its text in flow style. */
    public static String removeBuild(String text, String name) {
        YamlDoc doc = YamlDoc.of(text);
        BuildEntry found = buildEntry(doc, name);
        return removeEntry(doc, found.builds(), found.entry());
    }

    private static String setSpecScalar(String text, String key, String value, List<String> after) {
        YamlDoc doc = YamlDoc.of(text);
        MappingNode spec = doc.spec();
        String formatted = YamlScalars.format(value);
        Optional<NodeTuple> existing = YamlDoc.find(spec, key);
        if (existing.isPresent()) {
            return replaceScalar(doc, existing.get().getValueNode(), formatted);
        }
        Optional<NodeTuple> anchor = after.stream().map(k -> YamlDoc.find(spec, k)).flatMap(Optional::stream)
                .findFirst();
        return insertEntry(doc, spec, key + ": " + formatted, anchor);
    }

    private static String removeSpecKey(String text, String key) {
        YamlDoc doc = YamlDoc.of(text);
        MappingNode spec = doc.spec();
        return YamlDoc.find(spec, key).map(t -> removeEntry(doc, spec, t)).orElse(text);
    }

    /** The entry of spec.builds named {@code name}, with the mapping holding it. */
    private record BuildEntry(MappingNode builds, NodeTuple entry) {
    }

    private static BuildEntry buildEntry(YamlDoc doc, String name) {
        Optional<MappingNode> builds = YamlDoc.find(doc.spec(), "builds").map(NodeTuple::getValueNode)
                .filter(MappingNode.class::isInstance).map(MappingNode.class::cast);
        return builds.flatMap(b -> YamlDoc.find(b, name).map(e -> new BuildEntry(b, e)))
                .orElseThrow(() -> new EditException("build " + name + " is not listed in spec.builds"));
    }

    private static MappingNode buildMapping(YamlDoc doc, String name) {
        NodeTuple entry = buildEntry(doc, name).entry();
        if (!(entry.getValueNode() instanceof MappingNode build)) {
            throw new EditException("spec.builds." + name + " is not a mapping");
        }
        return build;
    }

    private static String replaceScalar(YamlDoc doc, Node value, String formatted) {
        if (YamlDoc.isEmptyScalar(value)) {
            int at = doc.start(value);
            boolean spaced = at > 0 && doc.text.charAt(at - 1) == ' ';
            return doc.splice(at, at, (spaced ? "" : " ") + formatted);
        }
        return doc.splice(doc.start(value), doc.contentEnd(value), formatted);
    }

    /**
     * Adds {@code entry} to {@code mapping} after the entry {@code after} (default: the last one).
     * Block style: a new line at the column of the existing keys, after any comment on the anchor's
     * last line. Flow style: {@code , entry} after the anchor's value, on its own line when the
     * mapping already puts entries on separate lines.
     */
    private static String insertEntry(YamlDoc doc, MappingNode mapping, String entry, Optional<NodeTuple> after) {
        List<NodeTuple> entries = mapping.getValue();
        if (entries.isEmpty()) {
            if (!YamlDoc.isFlow(mapping)) {
                throw new EditException("cannot add to an empty block mapping");
            }
            int open = doc.start(mapping) + 1;
            return doc.splice(open, open, entry);
        }
        NodeTuple anchor = after.orElse(entries.get(entries.size() - 1));
        int valueEnd = doc.contentEnd(anchor.getValueNode());
        if (YamlDoc.isFlow(mapping)) {
            boolean multiline = YamlDoc.line(anchor.getKeyNode()) > YamlDoc.line(mapping);
            String separator = multiline
                    ? "," + doc.eol + YamlDoc.spaces(YamlDoc.column(anchor.getKeyNode()))
                    : ", ";
            return doc.splice(valueEnd, valueEnd, separator + entry);
        }
        int at = doc.lineEnd(valueEnd);
        String indent = YamlDoc.spaces(YamlDoc.column(anchor.getKeyNode()));
        return doc.splice(at, at, doc.eol + indent + entry);
    }

    private static String removeEntry(YamlDoc doc, MappingNode mapping, NodeTuple entry) {
        List<NodeTuple> entries = mapping.getValue();
        int index = entries.indexOf(entry);
        int valueEnd = doc.contentEnd(entry.getValueNode());
        if (!YamlDoc.isFlow(mapping)) {
            return doc.splice(doc.ownLineStart(entry.getKeyNode()), doc.nextLineStart(valueEnd), "");
        }
        if (index > 0) {
            return doc.splice(doc.contentEnd(entries.get(index - 1).getValueNode()), valueEnd, "");
        }
        int to = entries.size() > 1 ? doc.start(entries.get(1).getKeyNode()) : valueEnd;
        return doc.splice(doc.start(entry.getKeyNode()), to, "");
    }

    /** The indentation step of the file: how far spec's keys sit to the right of "spec:". */
    private static int step(YamlDoc doc, MappingNode spec) {
        Node specKey = YamlDoc.find(doc.root, "spec").orElseThrow().getKeyNode();
        int step = YamlDoc.column(spec.getValue().get(0).getKeyNode()) - YamlDoc.column(specKey);
        return step > 0 ? step : DEFAULT_STEP;
    }

    private static boolean isNullWord(String value) {
        return value.equals("~") || value.equalsIgnoreCase("null");
    }
}
