package dev.regent.observe;

import dev.regent.traffic.Figures;
import java.util.List;
import java.util.Optional;

/**
 * The canary as observed: its {@code record}, every build's canary files ({@code pools}, only those
 * with something left) and, while the record's analysis is undecided, the figures it is judged on:
 * {@code intervals}, the canary build's requests on live's ports per complete interval since the
 * record's {@code at} (at most a window's worth), and {@code baseline}, the live build's own on
 * live's ports over the same intervals.
 */
public record CanaryReading(Optional<CanaryRecord> record, List<ObservedCanary> pools, Figures baseline,
                            List<Figures> intervals) {
    public static final CanaryReading NONE = new CanaryReading(Optional.empty(), List.of(), Figures.NONE, List.of());

    public CanaryReading {
        pools = List.copyOf(pools);
        intervals = List.copyOf(intervals);
    }

    public Optional<ObservedCanary> pool(String build) {
        return pools.stream().filter(p -> p.build().equals(build)).findFirst();
    }
}
