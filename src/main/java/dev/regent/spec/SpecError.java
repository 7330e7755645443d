package dev.regent.spec;

import java.nio.file.Path;

/**
 * One problem in a desired-state file. {@code line} and {@code column} are 1-based; {@code field}
 * is the dotted path of the field at fault ({@code spec.builds.c.ref}, {@code spec.steps[1].run}),
 * or empty when the problem is the file itself (bad bytes, empty, too large, a second document).
 * A YAML syntax error or a forbidden tag names the field the parser was in.
 */
public record SpecError(Path file, int line, int column, String field, String message) {

    @Override
    public String toString() {
        String where = file + ":" + line + ":" + column + ": ";
        return field.isEmpty() ? where + message : where + field + ": " + message;
    }
}
