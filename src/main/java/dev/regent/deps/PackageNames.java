package dev.regent.deps;

import java.util.Locale;
import java.util.regex.Pattern;

/** How pip compares package names (PEP 503) and pinned versions (PEP 440, the common cases). */
public final class PackageNames {
    private static final Pattern SEPARATORS = Pattern.compile("[-_.]+");

    private PackageNames() {
    }

    /** "Django", "django_" and "DJANGO" name one project: lower case, runs of - _ . become one -. */
    public static String normalize(String name) {
        return SEPARATORS.matcher(name.strip()).replaceAll("-").toLowerCase(Locale.ROOT);
    }

    /** True when pip treats both as the same version: case, a leading v and trailing .0 of the release do not count. */
    public static boolean sameVersion(String a, String b) {
        return canonical(a).equals(canonical(b));
    }

    static String canonical(String version) {
        String v = version.strip().toLowerCase(Locale.ROOT);
        if (v.startsWith("v")) {
            v = v.substring(1);
        }
        int end = 0;
        while (end < v.length() && (Character.isDigit(v.charAt(end)) || v.charAt(end) == '.')) {
            end++;
        }
        String release = v.substring(0, end);
        while (release.endsWith(".0")) {
            release = release.substring(0, release.length() - 2);
        }
        return release + v.substring(end);
    }
}
