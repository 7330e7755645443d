package dev.regent.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Watches a fleet move live to one build, every 100 ms: each host's record in etcd and the build
 * its live port answers /healthz with. A host is mid-move when its record says MOVING, or when it
 * serves the target build without having published CONVERGED (between its move and the end of its
 * checks). Records are read in one etcd range, so they are consistent with each other; the
 * /healthz reads follow them by a few milliseconds.
 */
final class MoveSampler implements AutoCloseable {
    private final FleetStacks fleet;
    private final String target;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final Map<String, Instant> firstServed = new LinkedHashMap<>();
    private final List<String> crowded = new ArrayList<>();
    private int samples;
    private int unanswered;
    private int maxMidMove;

    private MoveSampler(FleetStacks fleet, String target) {
        this.fleet = fleet;
        this.target = target;
    }

    static MoveSampler watching(FleetStacks fleet, String target) {
        var sampler = new MoveSampler(fleet, target);
        sampler.timer.scheduleWithFixedDelay(sampler::sample, 0, 100, TimeUnit.MILLISECONDS);
        return sampler;
    }

    private void sample() {
        try {
            sampleOnce();
        } catch (RuntimeException e) {
            synchronized (this) {
                unanswered++;
            }
        }
    }

    private void sampleOnce() {
        Optional<Map<String, JsonNode>> records = fleet.records();
        var midMove = new ArrayList<String>();
        var served = new LinkedHashMap<String, String>();
        for (String host : FleetStacks.HOSTS) {
            String build = fleet.liveBuild(host);
            served.put(host, build);
            String state = records.map(r -> r.get(host)).map(r -> r.path("state").asText()).orElse("");
            if (state.equals("MOVING") || (build.equals(target) && !state.equals("CONVERGED"))) {
                midMove.add(host);
            }
        }
        synchronized (this) {
            samples++;
            if (records.isEmpty()) {
                unanswered++;
            }
            served.forEach((host, build) -> {
                if (build.equals(target)) {
                    firstServed.putIfAbsent(host, Instant.now());
                }
            });
            maxMidMove = Math.max(maxMidMove, midMove.size());
            if (midMove.size() > 1) {
                crowded.add(Instant.now() + " " + midMove + " serving " + served + " records " + records.orElse(Map.of()));
            }
        }
    }

    /** The hosts in the order they first served the target build. */
    synchronized List<String> moveOrder() {
        return firstServed.entrySet().stream().sorted(Map.Entry.comparingByValue()).map(Map.Entry::getKey).toList();
    }

    synchronized int maxMidMove() {
        return maxMidMove;
    }

    synchronized List<String> crowded() {
        return List.copyOf(crowded);
    }

    synchronized String summary() {
        Instant first = firstServed.values().stream().min(Instant::compareTo).orElse(Instant.EPOCH);
        var offsets = new LinkedHashMap<String, Long>();
        moveOrder().forEach(h -> offsets.put(h, Duration.between(first, firstServed.get(h)).toMillis()));
        return samples + " samples (" + unanswered + " without etcd), at most " + maxMidMove
                + " host(s) mid-move at once; first served " + target + " (ms after the first): " + offsets;
    }

    @Override
    public void close() throws InterruptedException {
        timer.shutdownNow();
        timer.awaitTermination(10, TimeUnit.SECONDS);
    }
}
