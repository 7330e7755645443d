package dev.regent.spec;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * spec.healthTimeout: how long a build's new worker pool may take to come up, and then to pass its
 * health check, before the build is marked failed and no longer waited on ("20s", "2m", "1m30s").
 */
public final class HealthTimeout {
    public static final Duration DEFAULT = Duration.ofSeconds(60);
    static final Duration MIN = Duration.ofSeconds(5);
    static final Duration MAX = Duration.ofMinutes(30);
    private static final Pattern FORMAT = Pattern.compile("(?:(\\d{1,4})m)?(?:(\\d{1,5})s)?");

    private HealthTimeout() {
    }

    public static Optional<Duration> parse(String text) {
        return parse(text, MIN, MAX);
    }

    /** "20s", "2m" or "1m30s" between {@code min} and {@code max}; empty when malformed or out of range. */
    static Optional<Duration> parse(String text, Duration min, Duration max) {
        Matcher m = FORMAT.matcher(text);
        if (text.isEmpty() || !m.matches()) {
            return Optional.empty();
        }
        long minutes = m.group(1) == null ? 0 : Long.parseLong(m.group(1));
        long seconds = m.group(2) == null ? 0 : Long.parseLong(m.group(2));
        Duration d = Duration.ofMinutes(minutes).plusSeconds(seconds);
        return d.compareTo(min) < 0 || d.compareTo(max) > 0 ? Optional.empty() : Optional.of(d);
    }

    static Optional<String> problem(String text) {
        return parse(text).isPresent() ? Optional.empty() : Optional.of("healthTimeout \"" + text
                + "\" must look like 20s, 2m or 1m30s, between " + MIN.toSeconds() + " s and " + MAX.toMinutes() + " min");
    }
}
