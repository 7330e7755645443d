package dev.regent.spec;

import java.io.StringReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.CollectionEndEvent;
import org.yaml.snakeyaml.events.CollectionStartEvent;
import org.yaml.snakeyaml.events.DocumentStartEvent;
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

    /**
     * Names the field the parser was in, except for a bad character: the reader finds those ahead of the parser.
     * Which message a failure gets is decided by the exception's type and marks only; snakeyaml's own
     * wording is quoted, never matched, so a snakeyaml upgrade cannot change which message a user sees.
     */
    private static SpecError describe(Path file, String text, WatchingParser parser, YAMLException e) {
        Optional<Mark> last = parser.lastMark;
        String field = parser.path.current();
        if (e instanceof Refused refused) {
            int line = last.map(m -> m.getLine() + 1).orElse(1);
            int column = last.map(m -> m.getColumn() + 1).orElse(1);
            return new SpecError(file, line, column, refused.namesField ? field : "", refused.getMessage());
        }
        if (e instanceof MarkedYAMLException marked) {
            Optional<Mark> problemMark = Optional.ofNullable(marked.getProblemMark());
            Optional<Mark> contextMark = Optional.ofNullable(marked.getContextMark());
            // Something left open to the end of the file is best shown where it was opened.
            boolean unclosed = contextMark.isPresent() && problemMark.filter(m -> onlyBlankAfter(text, m)).isPresent();
            Optional<Mark> mark = unclosed ? contextMark : problemMark.or(() -> contextMark);
            String problem = Optional.ofNullable(marked.getProblem()).orElse("syntax error");
            String context = Optional.ofNullable(marked.getContext()).filter(c -> contextMark.isPresent())
                    .map(c -> " (" + c + " that starts at line " + (contextMark.get().getLine() + 1) + ")")
                    .orElse("");
            if (mark.isPresent()) {
                return new SpecError(file, mark.get().getLine() + 1, mark.get().getColumn() + 1, field,
                        "invalid YAML: " + problem + context);
            }
        }
        if (e instanceof ReaderException reader) {
            int[] lineColumn = lineColumnOfCodePoint(text, reader.getPosition());
            return new SpecError(file, lineColumn[0], lineColumn[1], "", String.format(
                    "character U+%04X is not allowed in YAML (control and special characters must be escaped "
                            + "in a double-quoted string)", reader.getCodePoint()));
        }
        // Only snakeyaml's own backstops for the limits Refused enforces first, or a failure no input should cause.
        String message = "invalid YAML: " + Optional.ofNullable(e.getMessage()).orElse(e.getClass().getSimpleName());
        int line = last.map(m -> m.getLine() + 1).orElse(1);
        int column = last.map(m -> m.getColumn() + 1).orElse(1);
        return new SpecError(file, line, column, field, message);
    }

    /** Whether the input holds nothing but white space from {@code mark} (an index in code points) on. */
    private static boolean onlyBlankAfter(String text, Mark mark) {
        int codePoints = text.codePointCount(0, text.length());
        int offset = text.offsetByCodePoints(0, Math.min(Math.max(mark.getIndex(), 0), codePoints));
        return text.substring(offset).isBlank();
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

    /** A limit or rule of this class, enforced as the events arrive, ahead of snakeyaml's own backstops. */
    private static final class Refused extends YAMLException {
        final boolean namesField;

        private Refused(String message, boolean namesField) {
            super(message);
            this.namesField = namesField;
        }

        static Refused tooManyValues() {
            return new Refused("the file holds more than " + MAX_VALUES + " values (keys, list items and scalars);"
                    + " a desired-state file needs far fewer (this bounds the memory a file can take)", true);
        }

        static Refused aliasExpansion() {
            return new Refused("aliases (*name) to text expand to more than " + MAX_CODE_POINTS
                    + " characters, the most a whole file may hold (this guards against alias bombs)", true);
        }

        static Refused tooManyCollectionAliases() {
            return new Refused("too many aliases (*name) to collections; at most " + MAX_ALIASES_FOR_COLLECTIONS
                    + " are allowed (this guards against alias bombs)", true);
        }

        static Refused tooDeep() {
            return new Refused("nesting is too deep; at most " + MAX_NESTING_DEPTH + " levels are allowed", true);
        }

        static Refused secondDocument() {
            return new Refused("invalid YAML: the file must hold a single YAML document, but a second one starts here",
                    false);
        }
    }

    /**
     * Passes events through, noting explicit tags, aliases and where parsing got to, and refusing
     * what exceeds a limit (values, nesting, aliases, documents) before snakeyaml's own checks of
     * the same limits, which stay as backstops. snakeyaml bounds aliases to collections only, so the
     * text that aliases to scalars stand for is bounded here: each alias shares its anchor's string,
     * but whoever joins or prints the values pays for every copy.
     */
    private static final class WatchingParser implements Parser {
        private final Parser inner;
        private final List<ExplicitTag> tagErrors = new ArrayList<>();
        private final EventPath path = new EventPath();
        private final Map<String, Integer> scalarAnchors = new HashMap<>();
        private final Set<String> collectionAnchors = new HashSet<>();
        private Optional<Mark> lastMark = Optional.empty();
        private boolean usesAliases;
        private long aliasedText;
        private int values;
        private int collectionAliases;
        private int openCollections;
        private int documents;

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
            if (event instanceof DocumentStartEvent && ++documents > 1) {
                throw Refused.secondDocument();
            }
            if ((event instanceof ScalarEvent || event instanceof CollectionStartEvent || event instanceof AliasEvent)
                    && ++values > MAX_VALUES) {
                throw Refused.tooManyValues();
            }
            if ((event instanceof ScalarEvent || event instanceof CollectionStartEvent)
                    && openCollections + 1 > MAX_NESTING_DEPTH) {
                throw Refused.tooDeep();
            }
            String tag = null;
            if (event instanceof ScalarEvent scalar) {
                tag = scalar.getTag();
                if (scalar.getAnchor() != null) {
                    scalarAnchors.put(scalar.getAnchor(), scalar.getValue().length());
                    collectionAnchors.remove(scalar.getAnchor());
                }
            } else if (event instanceof CollectionStartEvent collection) {
                tag = collection.getTag();
                openCollections++;
                if (collection.getAnchor() != null) {
                    scalarAnchors.remove(collection.getAnchor());
                    collectionAnchors.add(collection.getAnchor());
                }
            } else if (event instanceof CollectionEndEvent) {
                openCollections--;
            } else if (event instanceof AliasEvent alias) {
                usesAliases = true;
                aliasedText += scalarAnchors.getOrDefault(alias.getAnchor(), 0);
                if (aliasedText > MAX_CODE_POINTS) {
                    throw Refused.aliasExpansion();
                }
                if (collectionAnchors.contains(alias.getAnchor()) && ++collectionAliases > MAX_ALIASES_FOR_COLLECTIONS) {
                    throw Refused.tooManyCollectionAliases();
                }
            }
            if (tag != null) {
                tagErrors.add(new ExplicitTag(event.getStartMark(), field, tag));
            }
            return event;
        }
    }
}
