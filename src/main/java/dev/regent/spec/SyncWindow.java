package dev.regent.spec;

import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.TimeZone;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.quartz.CronExpression;

/**
 * spec.syncWindows[]: when live may move. A window opens at each firing of its Quartz cron
 * {@code schedule} (UTC) and stays open for {@code duration}. Any open deny window denies; when
 * allow windows exist, one of them must be open. Builds are still prepared (built, started,
 * warmed, staged) outside the windows: only the live role waits.
 */
public record SyncWindow(Kind kind, String schedule, Duration duration) {
    private static final Pattern DURATION = Pattern.compile("(?:(\\d{1,4})h)?(?:(\\d{1,5})m)?");

    public enum Kind { ALLOW, DENY }

    public boolean openAt(Instant now) {
        try {
            CronExpression cron = new CronExpression(schedule);
            cron.setTimeZone(TimeZone.getTimeZone("UTC"));
            Date start = cron.getNextValidTimeAfter(Date.from(now.minus(duration).minusMillis(1)));
            return start != null && !start.toInstant().isAfter(now);
        } catch (ParseException e) {
            return false;
        }
    }

    /** Empty when live may move at {@code now}; otherwise why it waits. */
    public static Optional<String> promotionBlocked(List<SyncWindow> windows, Instant now) {
        for (SyncWindow w : windows) {
            if (w.kind == Kind.DENY && w.openAt(now)) {
                return Optional.of("deny window \"" + w.schedule + "\" (" + w.duration.toMinutes() + " min) is open");
            }
        }
        boolean allows = windows.stream().anyMatch(w -> w.kind == Kind.ALLOW);
        if (allows && windows.stream().noneMatch(w -> w.kind == Kind.ALLOW && w.openAt(now))) {
            return Optional.of("no allow window is open");
        }
        return Optional.empty();
    }

    public static Optional<String> scheduleProblem(String schedule) {
        try {
            new CronExpression(schedule);
            return Optional.empty();
        } catch (ParseException e) {
            return Optional.of("\"" + schedule + "\" is not a Quartz cron expression (seconds minutes hours day-of-month month "
                    + "day-of-week, e.g. \"0 0 9 ? * MON-FRI\"): " + withoutJavaClassNames(e.getMessage()));
        }
    }

    /** Quartz wraps some parse failures as "(java.lang.NumberFormatException: ...)"; users need only the reason. */
    private static String withoutJavaClassNames(String message) {
        return String.valueOf(message).replaceAll("\\(java\\.[\\w.$]+: ", "(");
    }

    /** "8h", "30m", "1h30m". */
    public static Optional<Duration> parseDuration(String text) {
        Matcher m = DURATION.matcher(text);
        if (text.isEmpty() || !m.matches()) {
            return Optional.empty();
        }
        long hours = m.group(1) == null ? 0 : Long.parseLong(m.group(1));
        long minutes = m.group(2) == null ? 0 : Long.parseLong(m.group(2));
        Duration d = Duration.ofHours(hours).plusMinutes(minutes);
        return d.isZero() ? Optional.empty() : Optional.of(d);
    }
}
