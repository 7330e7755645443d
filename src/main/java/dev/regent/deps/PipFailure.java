package dev.regent.deps;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names the package in pip's failure output, which buries it in a traceback or among many lines:
 * the first line of the build's failure reason says which package failed and why.
 */
public final class PipFailure {
    private static final List<Explanation> KNOWN = List.of(
            new Explanation(Pattern.compile("No matching distribution found for (\\S+)"), "missing wheel for %s in the wheelhouse"),
            new Explanation(Pattern.compile("Wheel '([^']+)' located at \\S*?([^/\\s]+\\.whl) is invalid"),
                    "corrupt wheel for %s: %s is invalid"),
            new Explanation(Pattern.compile("(?s)Processing \\S*?([^-/\\s]+)-[^-/\\s]+-[^/\\s]+\\.whl(?:(?!Processing ).)*BadZipFile"),
                    "corrupt wheel for %s (BadZipFile)"),
            new Explanation(Pattern.compile("(?m)^\\s+(\\S+) from \\S+\\.whl.*\\n\\s+Expected sha256"),
                    "hash mismatch for %s: the wheelhouse's file differs from requirements.txt's --hash"),
            new Explanation(Pattern.compile("Hashes are required in --require-hashes mode"),
                    "some requirements have a --hash and others none: pip then wants one on every package, dependencies included"));

    private PipFailure() {
    }

    /** A first line naming the package when pip's output shows one, then the tail of the output. */
    public static String explain(String output, String tail) {
        return headline(output).map(line -> line + "\n" + tail).orElse(tail);
    }

    public static Optional<String> headline(String output) {
        for (Explanation known : KNOWN) {
            Matcher match = known.pattern().matcher(output);
            if (match.find()) {
                Object[] groups = new Object[match.groupCount()];
                for (int i = 0; i < groups.length; i++) {
                    groups[i] = match.group(i + 1);
                }
                return Optional.of(known.format().formatted(groups));
            }
        }
        return Optional.empty();
    }

    private record Explanation(Pattern pattern, String format) {
    }
}
