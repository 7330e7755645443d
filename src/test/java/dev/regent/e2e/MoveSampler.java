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
 * Watches a fleet move live to one build, every 100 ms: the slots held in etcd (a host holds one
 * from before its move until its checks after it passed), each host's record, and the build its
 * live port answers /healthz with. Counts, per sample, the hosts holding a slot and the hosts whose
 * record says MOVING; and the hosts serving the target build whose record does not say CONVERGED
 * yet (a record says CONVERGED from the pass that frees the slot, after the analysis, so it lags the swap).
 */
final class MoveSampler implements AutoCloseable {
    private final FleetStacks fleet;
    private final String target;
    private final int maxParallel;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final Map<String, Instant> firstServed = new LinkedHashMap<>();
    private final List<String> crowded = new ArrayList<>();
    private int samples;
    private int unanswered;
    private int maxMidMove;
    private int maxRecordsMoving;
    private int maxServingUnconverged;

    private MoveSampler(FleetStacks fleet, String target, int maxParallel) {
        this.fleet = fleet;
        this.target = target;
        this.maxParallel = maxParallel;
    }

    static MoveSampler watching(FleetStacks fleet, String target, int maxParallel) {
        var sampler = new MoveSampler(fleet, target, maxParallel);
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

    /**
     * The hosts' live builds are read before etcd: a host serving the target then is still serving it
     * when its slot key is read, so "moved with its slot key standing" holds at the key's read. Read
     * the other way round, a host that released between the two reads would count beside the next.
     */
    private void sampleOnce() {
        var served = new LinkedHashMap<String, String>();
        for (String host : FleetStacks.HOSTS) {
            served.put(host, fleet.liveBuild(host));
        }
        Optional<List<String>> holders = fleet.slotHolders(maxParallel);
        List<String> keyed = fleet.slots().orElse(List.of()).stream().map(key -> key.replaceFirst(".*/", "")).toList();
        Optional<Map<String, JsonNode>> records = fleet.records();
        int recordsMoving = 0;
        int servingUnconverged = 0;
        int movedUnreleased = 0;
        for (String host : FleetStacks.HOSTS) {
            String build = served.get(host);
            String state = records.map(r -> r.get(host)).map(r -> r.path("state").asText()).orElse("");
            recordsMoving += state.equals("MOVING") ? 1 : 0;
            servingUnconverged += build.equals(target) && !state.equals("CONVERGED") ? 1 : 0;
            movedUnreleased += build.equals(target) && keyed.contains(host) ? 1 : 0;
        }
        List<String> holding = holders.orElse(List.of());
        synchronized (this) {
            samples++;
            if (holders.isEmpty() || records.isEmpty()) {
                unanswered++;
            }
            served.forEach((host, build) -> {
                if (build.equals(target)) {
                    firstServed.putIfAbsent(host, Instant.now());
                }
            });
            maxMidMove = Math.max(maxMidMove, Math.max(holding.size(), movedUnreleased));
            maxRecordsMoving = Math.max(maxRecordsMoving, recordsMoving);
            maxServingUnconverged = Math.max(maxServingUnconverged, servingUnconverged);
            if (holding.size() > maxParallel || movedUnreleased > maxParallel || recordsMoving > maxParallel) {
                crowded.add(Instant.now() + " slots held by " + holding + "; serving " + served + "; records "
                        + records.orElse(Map.of()));
            }
        }
    }

    /** The hosts in the order they first served the target build. */
    synchronized List<String> moveOrder() {
        return firstServed.entrySet().stream().sorted(Map.Entry.comparingByValue()).map(Map.Entry::getKey).toList();
    }

    /**
     * The most hosts mid-move at once: holding a slot by the queue's order, or serving the target
     * build while their slot key stands (moved, checks not passed yet).
     */
    synchronized int maxMidMove() {
        return maxMidMove;
    }

    /** The most records saying MOVING at once. */
    synchronized int maxRecordsMoving() {
        return maxRecordsMoving;
    }

    synchronized List<String> crowded() {
        return List.copyOf(crowded);
    }

    synchronized String summary() {
        Instant first = firstServed.values().stream().min(Instant::compareTo).orElse(Instant.EPOCH);
        var offsets = new LinkedHashMap<String, Long>();
        moveOrder().forEach(h -> offsets.put(h, Duration.between(first, firstServed.get(h)).toMillis()));
        return samples + " samples (" + unanswered + " without etcd); at once at most: " + maxMidMove
                +  " host(s) mid-move (slot held, or moved with its slot key standing), " + maxRecordsMoving + " record(s) MOVING, " + maxServingUnconverged
                + " host(s) serving " + target + " before their record said CONVERGED; first served " + target + " (ms after the first): " + offsets;
    }

    @Override
    public void close() throws InterruptedException {
        timer.shutdownNow();
        timer.awaitTermination(10, TimeUnit.SECONDS);
    }
}
