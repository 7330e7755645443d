package dev.regent.spec;

import java.util.Collection;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The seed's build names a, b, ..., z, aa, ab, ... and their ports (2000 + 10 * index).
 * Names are lowercase letters only, so the emperors' glob {@code [a-z]*} matches them and never
 * {@code _live}, {@code _stage} or a dot-named folder being assembled.
 */
public final class BuildNames {
    public static final int BASE_PORT = 2000;
    public static final int PORT_STEP = 10;
    public static final int MAX_PORT = 65535;
    private static final Pattern NAME = Pattern.compile("[a-z]{1,3}");

    private BuildNames() {
    }

    /** 0 for a, 25 for z, 26 for aa: bijective base-26. */
    public static int index(String name) {
        int value = 0;
        for (char c : name.toCharArray()) {
            value = value * 26 + (c - 'a' + 1);
        }
        return value - 1;
    }

    public static String name(int index) {
        StringBuilder out = new StringBuilder();
        int n = index + 1;
        while (n > 0) {
            n--;
            out.insert(0, (char) ('a' + n % 26));
            n /= 26;
        }
        return out.toString();
    }

    public static int port(String name) {
        return BASE_PORT + PORT_STEP * index(name);
    }

    /** A name Regent accepts: lowercase letters whose port fits in 1..65535. */
    public static boolean isValid(String name) {
        return name != null && NAME.matcher(name).matches() && port(name) <= MAX_PORT;
    }

    /** Why {@code name} is not a valid build name, or empty when {@link #isValid} holds. */
    public static Optional<String> problem(String name) {
        if (isValid(name)) {
            return Optional.empty();
        }
        String quoted = "\"" + name + "\"";
        if (name == null || name.isEmpty()) {
            return Optional.of("a build name must not be empty");
        }
        if (!name.chars().allMatch(c -> c >= 'a' && c <= 'z')) {
            return Optional.of("build name " + quoted + " is invalid: build names are lowercase letters only"
                    + " (a, b, ..., z, aa, ab, ...), so the uWSGI emperors' glob [a-z]* matches them and never"
                    + " _live, _stage or a dot-named folder");
        }
        if (name.length() > 3) {
            return Optional.of("build name " + quoted + " is invalid: names longer than 3 letters map to ports"
                    + " above " + MAX_PORT);
        }
        return Optional.of("build name " + quoted + " is invalid: it maps to port " + port(name)
                + ", above " + MAX_PORT);
    }

    /** The first name in the sequence that is not taken. */
    public static String firstFree(Collection<String> taken) {
        for (int i = 0; ; i++) {
            String candidate = name(i);
            if (!taken.contains(candidate)) {
                return candidate;
            }
        }
    }
}
