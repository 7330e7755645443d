package dev.regent.spec;

import java.io.StringReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.CollectionStartEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.ScalarEvent;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.parser.Parser;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.ReaderException;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Composes YAML text into a node tree (never into objects, so no constructor runs) with bounded
 * size, nesting and aliases, and with every explicit tag rejected. Both the loader and the editor
 * use it, so what the editor edits is exactly what the loader reads.
 */
public final class SafeYaml {
    public static final int MAX_CODE_POINTS = 1 << 20;
    public static final int MAX_ALIASES_FOR_COLLECTIONS = 20;
    public static final int MAX_NESTING_DEPTH = 32;
    /**
     * Keys, items and scalars together. Far above any real host (each build is a running uWSGI
     * pool), far below what fills a heap: each value costs a few hundred bytes composed, so a
     * 1 MB file of tiny list items would otherwise need more than 96 MB.
     */
    public static final int MAX_VALUES = 20_000;

    public sealed interface Result {
    }

    /** {@code root} is empty for a document with no content. Node marks index code points. */
    public record Composed(Optional<Node> root, boolean usesAliases) implements Result {
    }

    public record Failed(List<SpecError> errors) implements Result {
        public Failed {
            errors = List.copyOf(errors);
        }
    }

    private SafeYaml() {
    }

    public static Result compose(Path file, String text) {
        if (text.length() > MAX_CODE_POINTS && text.codePointCount(0, text.length()) > MAX_CODE_POINTS) {
            return tooLarge(file, text.codePointCount(0, text.length()) + " characters");
        }
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(MAX_ALIASES_FOR_COLLECTIONS);
        options.setNestingDepthLimit(MAX_NESTING_DEPTH);
        options.setCodePointLimit(MAX_CODE_POINTS);
        options.setAllowRecursiveKeys(false);
        options.setMergeOnCompose(false);
        options.setProcessComments(false);
        WatchingParser parser = new WatchingParser(new ParserImpl(new StreamReader(new StringReader(text)), options));
        Node root;
        try {
            root = new Composer(parser, new Resolver(), options).getSingleNode();
        } catch (YAMLException e) {
            if (!parser.tagErrors.isEmpty()) {
                return new Failed(fileErrors(file, parser.tagErrors));
            }
            return new Failed(List.of(describe(file, text, parser, e)));
        } catch (RuntimeException e) {
            // Not expected from snakeyaml on any input, but a bad file must never crash the caller.
            return new Failed(List.of(describe(file, text, parser, new YAMLException(e.toString()))));
        }
        if (!parser.tagErrors.isEmpty()) {
            return new Failed(fileErrors(file, parser.tagErrors));
        }
        return new Composed(Optional.ofNullable(root), parser.usesAliases);
    }

    static Failed tooLarge(Path file, String size) {
        return new Failed(List.of(new SpecError(file, 1, 1, "",
                "file is too large (" + size + "); a desired-state file may hold at most " + MAX_CODE_POINTS
                        + " characters")));
    }

    private record ExplicitTag(Mark mark, String field, String tag) {
    }

    private static List<SpecError> fileErrors(Path file, List<ExplicitTag> tags) {
        List<SpecError> out = new ArrayList<>();
        for (ExplicitTag tag : tags) {
            String shown = tag.tag().startsWith(Tag.PREFIX) ? "!!" + tag.tag().substring(Tag.PREFIX.length())
                    : tag.tag();
            out.add(new SpecError(file, tag.mark().getLine() + 1, tag.mark().getColumn() + 1, tag.field(),
                    "explicit YAML tag " + shown + " is not allowed: desired-state files hold plain strings,"
                            + " booleans, lists and mappings only"));
        }
        return out;
    }

    /** Names the field the parser was in, except for a bad character: the reader finds those ahead of the parser. */
    private static SpecError describe(Path file, String text, WatchingParser parser, YAMLException e) {
        Optional<Mark> last = parser.lastMark;
        String field = parser.path.current();
        if (e instanceof MarkedYAMLException marked) {
            String problem = Optional.ofNullable(marked.getProblem()).orElse("syntax error");
            // Something left open to the end of the file is best shown where it was opened.
            boolean unclosed = problem.contains("end of stream") && marked.getContextMark() != null;
            Mark mark = marked.getProblemMark() != null && !unclosed ? marked.getProblemMark() : marked.getContextMark();
            if (problem.contains("found another document")) {
                problem = "the file must hold a single YAML document, but a second one starts here";
                field = "";
            }
            String context = Optional.ofNullable(marked.getContext())
                    .filter(c -> marked.getContextMark() != null)
                    .filter(c -> !c.contains("single document"))
                    .map(c -> " (" + c + " that starts at line " + (marked.getContextMark().getLine() + 1) + ")")
                    .orElse("");
            if (mark != null) {
                return new SpecError(file, mark.getLine() + 1, mark.getColumn() + 1, field,
                        "invalid YAML: " + problem + context);
            }
        }
        if (e instanceof ReaderException reader) {
            int[] lineColumn = lineColumnOfCodePoint(text, reader.getPosition());
            return new SpecError(file, lineColumn[0], lineColumn[1], "", String.format(
                    "character U+%04X is not allowed in YAML (control and special characters must be escaped "
                            + "in a double-quoted string)", reader.getCodePoint()));
        }
        String message = Optional.ofNullable(e.getMessage()).orElse(e.getClass().getSimpleName());
        if (e instanceof TooManyValues) {
            message = "the file holds more than " + MAX_VALUES + " values (keys, list items and scalars);"
                    + " a desired-state file needs far fewer (this bounds the memory a file can take)";
        } else if (e instanceof AliasExpansion) {
            message = "aliases (*name) to text expand to more than " + MAX_CODE_POINTS
                    + " characters, the most a whole file may hold (this guards against alias bombs)";
        } else if (message.startsWith("Number of aliases")) {
            message = "too many aliases (*name) to collections; at most " + MAX_ALIASES_FOR_COLLECTIONS
                    + " are allowed (this guards against alias bombs)";
        } else if (message.startsWith("Nesting Depth")) {
            message = "nesting is too deep; at most " + MAX_NESTING_DEPTH + " levels are allowed";
        } else if (message.contains("exceeds the limit")) {
            return tooLarge(file, "more than " + MAX_CODE_POINTS + " characters").errors().get(0);
        } else {
            message = "invalid YAML: " + message;
        }
        int line = last.map(m -> m.getLine() + 1).orElse(1);
        int column = last.map(m -> m.getColumn() + 1).orElse(1);
        return new SpecError(file, line, column, field, message);
    }

    private static int[] lineColumnOfCodePoint(String text, int codePointIndex) {
        int line = 1;
        int column = 1;
        int seen = 0;
        for (int i = 0; i < text.length() && seen < codePointIndex; i = text.offsetByCodePoints(i, 1), seen++) {
            if (text.charAt(i) == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
        return new int[] {line, column};
    }

    private static final class AliasExpansion extends YAMLException {
        AliasExpansion() {
            super("alias expansion");
        }
    }

    private static final class TooManyValues extends YAMLException {
        TooManyValues() {
            super("too many values");
        }
    }

    /**
     * Passes events through, noting explicit tags, aliases and where parsing got to. snakeyaml
     * bounds aliases to collections only, so the text that aliases to scalars stand for is
     * bounded here: each alias shares its anchor's string, but whoever joins or prints the values
     * pays for every copy.
     */
    private static final class WatchingParser implements Parser {
        private final Parser inner;
        private final List<ExplicitTag> tagErrors = new ArrayList<>();
        private final EventPath path = new EventPath();
        private final Map<String, Integer> scalarAnchors = new HashMap<>();
        private Optional<Mark> lastMark = Optional.empty();
        private boolean usesAliases;
        private long aliasedText;
        private int values;

        WatchingParser(Parser inner) {
            this.inner = inner;
        }

        @Override
        public boolean checkEvent(Event.ID choice) {
            return inner.checkEvent(choice);
        }

        @Override
        public Event peekEvent() {
            return inner.peekEvent();
        }

        @Override
        public Event getEvent() {
            Event event = inner.getEvent();
            lastMark = Optional.ofNullable(event.getStartMark());
            String field = path.accept(event);
            if ((event instanceof ScalarEvent || event instanceof CollectionStartEvent || event instanceof AliasEvent)
                    && ++values > MAX_VALUES) {
                throw new TooManyValues();
            }
            String tag = null;
            if (event instanceof ScalarEvent scalar) {
                tag = scalar.getTag();
                if (scalar.getAnchor() != null) {
                    scalarAnchors.put(scalar.getAnchor(), scalar.getValue().length());
                }
            } else if (event instanceof CollectionStartEvent collection) {
                tag = collection.getTag();
                if (collection.getAnchor() != null) {
                    scalarAnchors.remove(collection.getAnchor());
                }
            } else if (event instanceof AliasEvent alias) {
                usesAliases = true;
                aliasedText += scalarAnchors.getOrDefault(alias.getAnchor(), 0);
                if (aliasedText > MAX_CODE_POINTS) {
                    throw new AliasExpansion();
                }
            }
            if (tag != null) {
                tagErrors.add(new ExplicitTag(event.getStartMark(), field, tag));
            }
            return event;
        }
    }
}
