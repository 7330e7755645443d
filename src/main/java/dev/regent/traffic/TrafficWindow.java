package dev.regent.traffic;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The last {@link #SPAN} of logged requests per build, in one-second buckets (count, 5xx count,
 * latency histogram). Fed by the tailer's thread, read by the loop and the HTTP server: every
 * method is synchronized. Requests older than the span (by the clock) are dropped, and so are
 * requests stamped more than a minute ahead of it (they could otherwise outlive the span).
 */
public final class TrafficWindow implements TrafficView {
    public static final Duration SPAN = Duration.ofMinutes(15);
    public static final int STEP_SECONDS = 5;
    private static final long AHEAD_SECONDS = 60;
    private final Clock clock;
    private final Map<String, TreeMap<Long, Second>> builds = new HashMap<>();
    /** The same, for requests taken on live's ports only (a canary's share of live). */
    private final Map<String, TreeMap<Long, Second>> live = new HashMap<>();
    private long evictedAt;

    public TrafficWindow(Clock clock) {
        this.clock = clock;
    }

    /** One point of a build's series: {@code t} the step's start (epoch seconds), p99 in ms (0 without requests). */
    public record Point(long t, double rps, double errorRate, double p99) {
    }

    private static final class Second {
        long requests;
        long errors;
        final LatencyHistogram latency = new LatencyHistogram();
    }

    public synchronized void record(LoggedRequest request) {
        long now = nowSecond();
        if (now != evictedAt) {
            evict();
        }
        long second = Math.floorDiv(request.endedMillis(), 1000);
        if (second <= now - SPAN.toSeconds() || second > now + AHEAD_SECONDS) {
            return;
        }
        add(builds, second, request);
        if (request.servedLive()) {
            add(live, second, request);
        }
    }

    private static void add(Map<String, TreeMap<Long, Second>> into, long second, LoggedRequest request) {
        Second bucket = into.computeIfAbsent(request.build(), b -> new TreeMap<>()).computeIfAbsent(second, s -> new Second());
        bucket.requests++;
        if (request.failed()) {
            bucket.errors++;
        }
        bucket.latency.add(request.seconds() * 1000);
    }

    /**
     * The build's figures at one-second granularity: every second that overlaps [from, to) counts
     * whole (the second {@code from} falls in included), as far back as the window reaches.
     */
    @Override
    public synchronized Figures figures(String build, Instant from, Instant to) {
        return figures(builds, build, from, to);
    }

    @Override
    public synchronized Figures liveFigures(String build, Instant from, Instant to) {
        return figures(live, build, from, to);
    }

    private Figures figures(Map<String, TreeMap<Long, Second>> perBuild, String build, Instant from, Instant to) {
        evict();
        TreeMap<Long, Second> seconds = perBuild.get(build);
        long first = from.getEpochSecond();
        long end = to.getEpochSecond() + (to.getNano() > 0 ? 1 : 0);
        if (seconds == null || end <= first) {
            return Figures.NONE;
        }
        Second sum = sum(seconds.subMap(first, true, end, false));
        return sum.requests == 0 ? Figures.NONE : new Figures(sum.requests, sum.errors, sum.latency.percentile(0.99));
    }

    /**
     * Each build's points, one per {@link #STEP_SECONDS} over the last {@code minutes} (at most the
     * span), oldest first, for every build that logged a request in that time. The step now under
     * way counts its seconds so far.
     */
    public synchronized Map<String, List<Point>> series(int minutes) {
        evict();
        long now = nowSecond();
        long current = Math.floorDiv(now, STEP_SECONDS) * STEP_SECONDS;
        int steps = (int) Math.min(minutes * 60L, SPAN.toSeconds()) / STEP_SECONDS;
        long start = current - (long) (steps - 1) * STEP_SECONDS;
        var series = new TreeMap<String, List<Point>>();
        builds.forEach((build, seconds) -> {
            if (seconds.subMap(start, true, now, true).isEmpty()) {
                return;
            }
            var points = new ArrayList<Point>(steps);
            for (long t = start; t <= current; t += STEP_SECONDS) {
                Second sum = sum(seconds.subMap(t, true, t + STEP_SECONDS, false));
                long elapsed = Math.max(1, Math.min(STEP_SECONDS, now - t + 1));
                points.add(new Point(t, round(sum.requests / (double) elapsed, 100),
                        sum.requests == 0 ? 0 : round(sum.errors / (double) sum.requests, 10_000),
                        round(sum.latency.percentile(0.99), 10)));
            }
            series.put(build, points);
        });
        return series;
    }

    private static Second sum(SortedMap<Long, Second> seconds) {
        Second sum = new Second();
        for (Second s : seconds.values()) {
            sum.requests += s.requests;
            sum.errors += s.errors;
            sum.latency.addAll(s.latency);
        }
        return sum;
    }

    private void evict() {
        evictedAt = nowSecond();
        long oldest = evictedAt - SPAN.toSeconds() + 1;
        for (var perBuild : List.of(builds, live)) {
            perBuild.values().removeIf(seconds -> {
                NavigableMap<Long, Second> stale = seconds.headMap(oldest, false);
                stale.clear();
                return seconds.isEmpty();
            });
        }
    }

    private long nowSecond() {
        return clock.instant().getEpochSecond();
    }

    private static double round(double value, int scale) {
        return Math.round(value * scale) / (double) scale;
    }
}
