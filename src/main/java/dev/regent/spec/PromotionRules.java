package dev.regent.spec;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The values spec.promotion takes, and their bounds: durations ("60s", "500ms", "1m30s"), rates ("1%", 0.01), counts. */
final class PromotionRules {
    static final Duration MIN_WINDOW = Duration.ofSeconds(10);
    static final Duration MAX_WINDOW = Duration.ofHours(1);
    static final Duration MIN_INTERVAL = Duration.ofSeconds(1);
    static final Duration MAX_INTERVAL = Duration.ofMinutes(5);
    static final Duration MIN_P99 = Duration.ofMillis(1);
    static final Duration MAX_P99 = Duration.ofSeconds(60);
    static final int MAX_MIN_REQUESTS = 1_000_000;
    static final int MAX_SMOKE_PATHS = 20;
    static final int MAX_SMOKE_REQUESTS = 100;
    static final int MAX_CANARY_WORKERS = 64;
    private static final Pattern DURATION = Pattern.compile("(\\d{1,7})ms|(?:(\\d{1,4})h)?(?:(\\d{1,4})m)?(?:(\\d{1,5})s)?");
    private static final Pattern PERCENT = Pattern.compile("(\\d{1,3}(?:\\.\\d{1,4})?)%");
    private static final Pattern FRACTION = Pattern.compile("0(?:\\.\\d{1,6})?|1(?:\\.0{1,6})?|\\.\\d{1,6}");
    private static final Pattern PATH = Pattern.compile("/[A-Za-z0-9._~!$&'()*+,;=:@%/?-]{0,500}");

    private PromotionRules() {
    }

    /** "500ms", "5s", "2m", "1h", "1m30s"; empty when malformed. */
    static Optional<Duration> duration(String text) {
        Matcher m = DURATION.matcher(text);
        if (text.isEmpty() || !m.matches()) {
            return Optional.empty();
        }
        if (m.group(1) != null) {
            return Optional.of(Duration.ofMillis(Long.parseLong(m.group(1))));
        }
        return Optional.of(Duration.ofHours(number(m.group(2))).plusMinutes(number(m.group(3))).plusSeconds(number(m.group(4))));
    }

    static Optional<String> durationProblem(String field, String text, Duration min, Duration max) {
        Optional<Duration> d = duration(text);
        if (d.isEmpty()) {
            return Optional.of(field + " \"" + text + "\" must look like 500ms, 5s, 2m or 1m30s");
        }
        if (d.get().compareTo(min) < 0 || d.get().compareTo(max) > 0) {
            return Optional.of(field + " \"" + text + "\" must be between " + words(min) + " and " + words(max));
        }
        return Optional.empty();
    }

    /** "1%" or a fraction such as 0.01: the share of requests, 0 to 1. */
    static Optional<Double> rate(String text) {
        Matcher percent = PERCENT.matcher(text);
        if (percent.matches()) {
            double value = Double.parseDouble(percent.group(1)) / 100;
            return value <= 1 ? Optional.of(value) : Optional.empty();
        }
        return FRACTION.matcher(text).matches() ? Optional.of(Double.parseDouble(text)) : Optional.empty();
    }

    static Optional<String> rateProblem(String text) {
        return rate(text).isPresent() ? Optional.empty() : Optional.of("maxErrorRate \"" + text
                + "\" must be a percentage such as 1% or 0.5%, or a fraction from 0 to 1 such as 0.01");
    }

    static Optional<Integer> count(String text, int min, int max) {
        if (!text.matches("\\d{1,9}")) {
            return Optional.empty();
        }
        int value = Integer.parseInt(text);
        return value < min || value > max ? Optional.empty() : Optional.of(value);
    }

    static Optional<String> countProblem(String field, String text, int min, int max) {
        return count(text, min, max).isPresent() ? Optional.empty()
                : Optional.of(field + " \"" + text + "\" must be a whole number from " + min + " to " + max);
    }

    static Optional<String> pathProblem(String text) {
        return PATH.matcher(text).matches() ? Optional.empty() : Optional.of("smoke path \"" + text
                + "\" must start with / and hold no spaces or quotes, such as /healthz or /api/items?limit=1");
    }

    private static long number(String group) {
        return group == null ? 0 : Long.parseLong(group);
    }

    private static String words(Duration d) {
        if (d.toMillis() < 1000) {
            return d.toMillis() + " ms";
        }
        return d.toSeconds() < 60 ? d.toSeconds() + " s" : d.toMinutes() < 60 ? d.toMinutes() + " min" : d.toHours() + " h";
    }
}
