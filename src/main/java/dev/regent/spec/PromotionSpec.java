package dev.regent.spec;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * spec.promotion: what guards a move of live. {@code analysis} watches the new live build and rolls
 * back a bad one; {@code smoke} checks stage before live moves to it; {@code requireApproval} holds
 * live until an authenticated approval; {@code canary} serves a share of live from stage first.
 */
public record PromotionSpec(Analysis analysis, Optional<Smoke> smoke, boolean requireApproval, Optional<Canary> canary) {
    public static final PromotionSpec DEFAULT = new PromotionSpec(Analysis.DEFAULT, Optional.empty(), false, Optional.empty());

    /**
     * Judged per interval against the previous build's own figures: an interval fails when the new
     * build's error rate exceeds the previous one's by more than {@code maxErrorRate} (a fraction,
     * 0.01 = 1 point), or its p99 exceeds both {@code maxP99} and twice the previous build's p99.
     * Intervals with fewer than {@code minRequests} requests are inconclusive. {@code failureLimit}
     * failed intervals within {@code window} roll back; a window without them keeps the build.
     */
    public record Analysis(boolean enabled, Duration window, Duration interval, double maxErrorRate, Duration maxP99,
                           int minRequests, int failureLimit) {
        public static final Analysis DEFAULT = new Analysis(true, Duration.ofSeconds(60), Duration.ofSeconds(5), 0.01,
                Duration.ofMillis(500), 20, 3);
    }

    /** Paths that must answer 2xx on stage, each {@code requests} times, before live moves to it. */
    public record Smoke(List<String> paths, int requests) {
        public Smoke {
            paths = List.copyOf(paths);
        }
    }

    /** A second pool of the stage build attached to the live router: {@code workers} of its processes. */
    public record Canary(int workers) {
    }
}
