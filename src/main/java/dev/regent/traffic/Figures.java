package dev.regent.traffic;

/** A build's requests over a span of time, as nginx saw them: how many, how many 5xx, the p99 latency. */
public record Figures(long requests, long errors, double p99Millis) {
    public static final Figures NONE = new Figures(0, 0, 0);

    public double errorRate() {
        return requests == 0 ? 0 : (double) errors / requests;
    }
}
