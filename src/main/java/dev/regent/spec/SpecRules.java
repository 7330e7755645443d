package dev.regent.spec;

import java.util.Optional;
import java.util.regex.Pattern;

/** The value rules of desired-state.yaml; each returns why a value is rejected, or empty if it is fine. */
public final class SpecRules {
    public static final String API_VERSION = "regent/v1";
    public static final String KIND = "Host";
    /** One file for many Compose hosts: spec.fleet names them and how they move live. */
    public static final String FLEET_KIND = "Fleet";
    private static final Pattern PROJECT_NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");
    private static final Pattern REF = Pattern.compile("[A-Za-z0-9._/^~@{}-]+");
    private static final Pattern MODULE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*");
    private static final Pattern HEALTH_PATH = Pattern.compile("/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*");
    private static final Pattern STEP_NAME = Pattern.compile("[a-z0-9-]+");
    private static final int MAX_REF_LENGTH = 255;

    private SpecRules() {
    }

    public static Optional<String> projectNameProblem(String name) {
        return PROJECT_NAME.matcher(name).matches() ? Optional.empty() : Optional.of(
                "\"" + name + "\" is not a valid compose project name: use 1 to 63 characters of a-z, 0-9, _ and -,"
                        + " starting with a letter or digit");
    }

    /** A deliberately small subset of git's ref rules: enough for branches, tags, SHAs and HEAD~n. */
    public static Optional<String> refProblem(String ref) {
        if (ref.isEmpty()) {
            return Optional.of("ref must not be empty");
        }
        if (ref.length() > MAX_REF_LENGTH) {
            return Optional.of("ref is longer than " + MAX_REF_LENGTH + " characters");
        }
        if (ref.startsWith("-")) {
            return Optional.of("ref \"" + ref + "\" must not start with - (git would read it as an option)");
        }
        if (!REF.matcher(ref).matches()) {
            return Optional.of("ref \"" + ref + "\" may only contain letters, digits and . _ / ^ ~ @ { } -");
        }
        if (ref.contains("..")) {
            return Optional.of("ref \"" + ref + "\" must not contain .. (git ranges and paths are not refs)");
        }
        return Optional.empty();
    }

    /** A folder inside the repository: relative, normalized, never escaping it. "." is the repository root. */
    public static Optional<String> relativePathProblem(String path) {
        if (path.equals(".")) {
            return Optional.empty();
        }
        if (path.isEmpty()) {
            return Optional.of("path must not be empty (use . for the repository root)");
        }
        if (path.startsWith("/") || path.contains("\\") || path.matches("[A-Za-z]:.*")) {
            return Optional.of("path \"" + path + "\" must be relative to the repository, not absolute");
        }
        if (path.chars().anyMatch(Character::isISOControl)) {
            return Optional.of("path must not contain control characters");
        }
        for (String segment : path.split("/", -1)) {
            if (segment.equals("..")) {
                return Optional.of("path \"" + path + "\" must not contain .. (it must stay inside the repository)");
            }
            if (segment.isEmpty() || segment.equals(".")) {
                return Optional.of("path \"" + path + "\" is not normalized (no empty or . segments, no trailing /)");
            }
        }
        return Optional.empty();
    }

    public static Optional<String> repoProblem(String repo) {
        if (repo.isEmpty()) {
            return Optional.of("repo must not be empty (use . for the project root)");
        }
        return repo.chars().anyMatch(Character::isISOControl)
                ? Optional.of("repo must not contain control characters")
                : Optional.empty();
    }

    public static Optional<String> moduleProblem(String module) {
        return MODULE.matcher(module).matches() ? Optional.empty() : Optional.of(
                "\"" + module + "\" is not a dotted Python module name such as mysite.settings");
    }

    public static Optional<String> healthPathProblem(String path) {
        return HEALTH_PATH.matcher(path).matches() ? Optional.empty() : Optional.of(
                "healthPath \"" + path + "\" must start with / and contain only URL path characters");
    }

    public static Optional<String> stepNameProblem(String name) {
        return STEP_NAME.matcher(name).matches() ? Optional.empty() : Optional.of(
                "step name \"" + name + "\" may only contain a-z, 0-9 and -");
    }
}
