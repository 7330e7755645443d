package dev.regent.observe;

import dev.regent.approval.Approval;
import dev.regent.traffic.Figures;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What guards live on the host: the last move of live (if it still describes the host, see
 * {@link PromotionRecord#describes}), the pins, each build's last smoke check and approval, and the
 * traffic the analysis judges: {@code intervals}, the new live build's figures per complete interval
 * since the move (at most a window's worth), and {@code baseline}, the previous build's figures over
 * the window before the move. Intervals are empty when no analysis runs (off, no previous build, an
 * automatic rollback, or long over). {@code canary}: the canary of a build about to go live, if any.
 */
public record ObservedPromotion(Optional<PromotionRecord> last, List<Pin> pins, Map<String, SmokeRecord> smoke,
                                Map<String, Approval> approvals, Figures baseline, List<Figures> intervals,
                                CanaryReading canary) {
    public static final ObservedPromotion NONE = new ObservedPromotion(Optional.empty(), List.of(), Map.of(), Map.of(),
            Figures.NONE, List.of());
    /** How long after an interval ends its figures are read: nginx logs a request when it ends, and the log is tailed. */
    public static final Duration GRACE = Duration.ofSeconds(1);
    /** After the window, how long its figures are still read: a verdict is acted on by then, or not at all. */
    public static final Duration AFTER_WINDOW = Duration.ofMinutes(1);

    public ObservedPromotion(Optional<PromotionRecord> last, List<Pin> pins, Map<String, SmokeRecord> smoke,
                             Map<String, Approval> approvals, Figures baseline, List<Figures> intervals) {
        this(last, pins, smoke, approvals, baseline, intervals, CanaryReading.NONE);
    }

    public ObservedPromotion {
        pins = List.copyOf(pins);
        smoke = Map.copyOf(smoke);
        approvals = Map.copyOf(approvals);
        intervals = List.copyOf(intervals);
    }

    public ObservedPromotion withCanary(CanaryReading reading) {
        return new ObservedPromotion(last, pins, smoke, approvals, baseline, intervals, reading);
    }

    public Optional<Pin> pin(String build) {
        return pins.stream().filter(p -> p.build().equals(build)).findFirst();
    }
}
