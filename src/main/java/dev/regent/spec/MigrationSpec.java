package dev.regent.spec;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * spec.migrations: the release phase's settings. {@code lockTimeout} and {@code statementTimeout}
 * bound every statement `migrate` runs (PostgreSQL's lock_timeout and statement_timeout), so a
 * migration queued behind a long transaction gives up instead of stalling live; {@code allow} names
 * the migrations ("app.0003_name") that may break the build now live. {@code postMigrate}, when not
 * empty, is the contract step: an argument list run once per migrated build after the builds that
 * served when it migrated hold no role.
 */
public record MigrationSpec(Duration lockTimeout, Duration statementTimeout, Set<String> allow,
                            List<String> postMigrate) {
    public static final MigrationSpec DEFAULT = new MigrationSpec(Duration.ofSeconds(5), Duration.ofSeconds(60), Set.of());
    private static final Pattern MIGRATION = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*\\.[A-Za-z0-9_]+");
    static final Duration MIN = Duration.ofSeconds(1);
    static final Duration MAX = Duration.ofMinutes(30);

    public MigrationSpec {
        allow = Set.copyOf(allow);
        postMigrate = List.copyOf(postMigrate);
    }

    public MigrationSpec(Duration lockTimeout, Duration statementTimeout, Set<String> allow) {
        this(lockTimeout, statementTimeout, allow, List.of());
    }

    /** "5s", "2m", "1m30s", from 1 s to 30 min. */
    public static Optional<Duration> parse(String text) {
        return HealthTimeout.parse(text, MIN, MAX);
    }

    static Optional<String> durationProblem(String key, String text) {
        return parse(text).isPresent() ? Optional.empty() : Optional.of(key + " \"" + text
                + "\" must look like 5s, 2m or 1m30s, between 1 s and 30 min");
    }

    static Optional<String> migrationProblem(String text) {
        return MIGRATION.matcher(text).matches() ? Optional.empty()
                : Optional.of("\"" + text + "\" must name a migration as app.name, e.g. pages.0003_remove_note_body");
    }

    /** PGOPTIONS for libpq: the timeouts of every statement in the migrating session. */
    public String pgOptions() {
        return "-c lock_timeout=" + lockTimeout.toMillis() + " -c statement_timeout=" + statementTimeout.toMillis();
    }

    public List<String> allowSorted() {
        return allow.stream().sorted().toList();
    }
}
