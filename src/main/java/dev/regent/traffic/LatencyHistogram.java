package dev.regent.traffic;

import java.util.Arrays;

/**
 * Latencies in geometric buckets (each 10% wider than the last, from 0.5 ms to beyond 10 minutes),
 * so a percentile read back is within 5% of the true one: a bucket is answered by its geometric
 * middle. Not thread-safe: {@link TrafficWindow} guards it.
 */
final class LatencyHistogram {
    static final double MIN_MILLIS = 0.5;
    static final double GROWTH = 1.1;
    static final int BUCKETS = 2 + (int) Math.ceil(Math.log(600_000 / MIN_MILLIS) / Math.log(GROWTH));
    private final int[] counts = new int[BUCKETS];
    private long total;

    void add(double millis) {
        counts[bucket(millis)]++;
        total++;
    }

    void addAll(LatencyHistogram other) {
        for (int i = 0; i < BUCKETS; i++) {
            counts[i] += other.counts[i];
        }
        total += other.total;
    }

    long total() {
        return total;
    }

    /** The latency {@code share} (0..1] of the requests took at most, in ms; 0 without requests. */
    double percentile(double share) {
        if (total == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(share * total));
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return middle(i);
            }
        }
        return middle(BUCKETS - 1);
    }

    /** Bucket 0 holds everything under MIN_MILLIS; bucket i >= 1 holds [MIN·GROWTH^(i-1), MIN·GROWTH^i). */
    static int bucket(double millis) {
        if (!(millis >= MIN_MILLIS)) {
            return 0;
        }
        int i = 1 + (int) Math.floor(Math.log(millis / MIN_MILLIS) / Math.log(GROWTH));
        return Math.min(i, BUCKETS - 1);
    }

    static double middle(int bucket) {
        return bucket == 0 ? 0 : MIN_MILLIS * Math.pow(GROWTH, bucket - 0.5);
    }

    @Override
    public String toString() {
        return "LatencyHistogram" + Arrays.toString(counts);
    }
}
