package dev.regent.spec;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.CollectionEndEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.MappingStartEvent;
import org.yaml.snakeyaml.events.ScalarEvent;
import org.yaml.snakeyaml.events.SequenceStartEvent;

/**
 * Follows parser events to know which field the parser is in ({@code spec.builds.a},
 * {@code spec.steps[0].run}), so a syntax error or a forbidden tag can name the field like any
 * other error. Between two entries of a mapping it is the mapping's own field.
 */
final class EventPath {
    /** Deeper paths are shown cut, so a nesting bomb does not make a screen-long field name. */
    static final int MAX_SEGMENTS = 8;

    private static final class Frame {
        final boolean mapping;
        boolean expectingKey = true;
        String key = "?";
        int index = -1;
        boolean inChild;

        Frame(boolean mapping) {
            this.mapping = mapping;
        }

        String segment() {
            return mapping ? key : "[" + index + "]";
        }
    }

    private final Deque<Frame> frames = new ArrayDeque<>();

    /** Call for every event the composer takes, in order; returns the field of the node the event starts, if any. */
    String accept(Event event) {
        String field = "";
        if (event instanceof ScalarEvent scalar) {
            startNode(scalar.getValue());
            field = current();
            endNode();
        } else if (event instanceof AliasEvent alias) {
            startNode("*" + alias.getAnchor());
            field = current();
            endNode();
        } else if (event instanceof MappingStartEvent || event instanceof SequenceStartEvent) {
            startNode("?");
            field = current();
            frames.push(new Frame(event instanceof MappingStartEvent));
        } else if (event instanceof CollectionEndEvent) {
            frames.poll();
            endNode();
        }
        return field;
    }

    /** The field the parser is in now: empty at the top level. */
    String current() {
        StringBuilder out = new StringBuilder();
        int segments = 0;
        for (Iterator<Frame> it = frames.descendingIterator(); it.hasNext(); ) {
            Frame frame = it.next();
            if (!frame.inChild) {
                break;
            }
            if (++segments > MAX_SEGMENTS) {
                return out + "...";
            }
            if (frame.mapping && out.length() > 0) {
                out.append('.');
            }
            out.append(frame.segment());
        }
        return out.toString();
    }

    private void startNode(String text) {
        Frame parent = frames.peek();
        if (parent == null) {
            return;
        }
        if (parent.mapping && parent.expectingKey) {
            parent.key = text;
        } else if (!parent.mapping) {
            parent.index++;
        }
        parent.inChild = true;
    }

    private void endNode() {
        Frame parent = frames.peek();
        if (parent == null) {
            return;
        }
        if (parent.mapping && parent.expectingKey) {
            parent.expectingKey = false;
        } else {
            parent.expectingKey = true;
            parent.inChild = false;
        }
    }
}
