package dev.regent.deps;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A parsed requirements.txt. Only exact pins are accepted ({@code name==version}, optionally with
 * extras, an environment marker and {@code --hash=sha256:...} options, continued with a backslash),
 * because the build installs from a local wheelhouse and its lock must mean one set of files.
 * Every other requirement line is a problem naming its line; global options pip understands
 * without changing where packages come from are ignored.
 */
public record Requirements(List<Requirement> pinned, List<String> problems) {
    private static final Pattern PIN = Pattern.compile(
            "([A-Za-z0-9][A-Za-z0-9._-]*)\\s*(\\[[^\\]]*\\])?\\s*===?\\s*([A-Za-z0-9][A-Za-z0-9.+!_-]*)\\s*(;.*)?");
    private static final Pattern HASH = Pattern.compile("--hash[=\\s]\\s*([A-Za-z0-9]+):([0-9a-fA-F]+)");
    private static final List<String> SOURCE_OPTIONS = List.of("-r", "--requirement", "-c", "--constraint",
            "-e", "--editable", "-i", "--index-url", "--extra-index-url", "-f", "--find-links");

    public Requirements {
        pinned = List.copyOf(pinned);
        problems = List.copyOf(problems);
    }

    public static Requirements parse(String text) {
        List<Requirement> pinned = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int first = i + 1;
            StringBuilder logical = new StringBuilder(withoutComment(lines[i]));
            while (logical.toString().stripTrailing().endsWith("\\") && i + 1 < lines.length) {
                String kept = logical.toString().stripTrailing();
                logical.setLength(0);
                logical.append(kept, 0, kept.length() - 1).append(' ').append(withoutComment(lines[++i]));
            }
            String line = logical.toString().strip();
            if (line.endsWith("\\")) {
                line = line.substring(0, line.length() - 1).strip();
            }
            if (!line.isEmpty()) {
                read(line, first, pinned, problems);
            }
        }
        return new Requirements(pinned, problems);
    }

    private static void read(String line, int number, List<Requirement> pinned, List<String> problems) {
        if (line.startsWith("-")) {
            String option = line.split("[=\\s]", 2)[0];
            if (SOURCE_OPTIONS.contains(option)) {
                problems.add("line " + number + ": \"" + line + "\" is not supported: list every package pinned in this"
                        + " file; builds install only from deploy/deps/wheelhouse");
            }
            return;
        }
        int hashAt = line.indexOf("--");
        String spec = (hashAt < 0 ? line : line.substring(0, hashAt)).strip();
        String options = hashAt < 0 ? "" : line.substring(hashAt);
        Matcher pin = PIN.matcher(spec);
        if (!pin.matches()) {
            problems.add("line " + number + ": \"" + spec + "\" is not pinned: write name==version"
                    + " (pip freeze prints the versions installed)");
            return;
        }
        List<String> hashes = new ArrayList<>();
        Matcher hash = HASH.matcher(options);
        while (hash.find()) {
            if (!hash.group(1).equals("sha256")) {
                problems.add("line " + number + ": only sha256 hashes are supported, not " + hash.group(1));
                return;
            }
            hashes.add(hash.group(2).toLowerCase(Locale.ROOT));
        }
        pinned.add(new Requirement(pin.group(1), pin.group(3), hashes, pin.group(4) != null, number));
    }

    /** pip's comment rule: # at the start or after whitespace. */
    private static String withoutComment(String line) {
        for (int i = 0; i < line.length(); i++) {
            if (line.charAt(i) == '#' && (i == 0 || Character.isWhitespace(line.charAt(i - 1)))) {
                return line.substring(0, i);
            }
        }
        return line;
    }
}
