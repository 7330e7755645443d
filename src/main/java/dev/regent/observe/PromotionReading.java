package dev.regent.observe;

import dev.regent.approval.Approval;
import dev.regent.approval.Approvals;
import dev.regent.fs.HostFiles;
import dev.regent.fs.HostLayout;
import dev.regent.spec.PromotionSpec;
import dev.regent.traffic.Figures;
import dev.regent.traffic.TrafficView;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Reads what guards live ({@link ObservedPromotion}): the promotion record, pins, smoke checks, approvals, traffic. */
final class PromotionReading {
    private final HostLayout layout;
    private final TrafficView traffic;
    private final Clock clock;

    PromotionReading(HostLayout layout, TrafficView traffic, Clock clock) {
        this.layout = layout;
        this.traffic = traffic;
        this.clock = clock;
    }

    ObservedPromotion read(PromotionSpec spec, Collection<String> builds, Optional<String> live, List<String> unreadable) {
        return read(spec, builds, live, unreadable, List.of());
    }

    /** {@code canaries}: every build's canary files that are there (the Observer reads their stats sockets). */
    ObservedPromotion read(PromotionSpec spec, Collection<String> builds, Optional<String> live, List<String> unreadable,
                           List<ObservedCanary> canaries) {
        // Unreadable reads as absent: the record only lets an analysis run (and a rollback follow).
        Optional<PromotionRecord> last = HostFiles.readJson(PromotionRecord.path(layout), PromotionRecord.class);
        var pins = Pin.read(layout);
        pins.unreadable().ifPresent(u -> unreadable.add(u.describe(layout.root())));
        Map<String, SmokeRecord> smoke = new TreeMap<>();
        Map<String, Approval> approvals = new TreeMap<>();
        for (String build : builds) {
            HostFiles.readJson(layout.marker(build, SmokeRecord.KIND), SmokeRecord.class).ifPresent(s -> smoke.put(build, s));
            if (spec.requireApproval()) {
                Approvals.read(layout, build).ifPresent(a -> approvals.put(build, a));
            }
        }
        Figures baseline = Figures.NONE;
        List<Figures> intervals = List.of();
        Optional<PromotionRecord> watched = last.filter(r -> r.describes(live) && r.from().isPresent() && !r.automatic())
                .filter(r -> spec.analysis().enabled());
        if (watched.isPresent()) {
            Instant now = clock.instant();
            PromotionRecord r = watched.get();
            PromotionSpec.Analysis a = spec.analysis();
            if (now.isBefore(r.at().plus(a.window()).plus(ObservedPromotion.AFTER_WINDOW))) {
                baseline = traffic.figures(r.from().get(), r.at().minus(a.window()), r.at());
                intervals = intervals(r, a, now);
            }
        }
        return new ObservedPromotion(last, pins.orAbsent().orElseGet(List::of), smoke, approvals, baseline, intervals,
                canary(spec.analysis(), canaries));
    }

    /**
     * Unreadable reads as absent: the record only lets a canary that passed be promoted, and without
     * it the canary is attached and judged again.
     */
    private CanaryReading canary(PromotionSpec.Analysis a, List<ObservedCanary> pools) {
        Optional<CanaryRecord> record = HostFiles.readJson(CanaryRecord.path(layout), CanaryRecord.class);
        if (record.isEmpty() || record.get().passed()) {
            return new CanaryReading(record, pools, Figures.NONE, List.of());
        }
        CanaryRecord r = record.get();
        Instant now = clock.instant();
        Instant windowEnd = r.at().plus(a.window());
        List<Figures> found = new ArrayList<>();
        Instant judgedTo = r.at();
        for (Instant start = r.at(); start.isBefore(windowEnd); start = start.plus(a.interval())) {
            Instant end = min(start.plus(a.interval()), windowEnd);
            if (end.plus(ObservedPromotion.GRACE).isAfter(now)) {
                break;
            }
            found.add(traffic.liveFigures(r.build(), start, end));
            judgedTo = end;
        }
        Figures baseline = found.isEmpty() ? Figures.NONE : traffic.liveFigures(r.of(), r.at(), judgedTo);
        return new CanaryReading(record, pools, baseline, found);
    }

    /** The new build's figures per interval that ended at least {@link ObservedPromotion#GRACE} ago, within the window. */
    private List<Figures> intervals(PromotionRecord r, PromotionSpec.Analysis a, Instant now) {
        Instant windowEnd = r.at().plus(a.window());
        List<Figures> found = new ArrayList<>();
        for (Instant start = r.at(); start.isBefore(windowEnd); start = start.plus(a.interval())) {
            Instant end = min(start.plus(a.interval()), windowEnd);
            if (end.plus(ObservedPromotion.GRACE).isAfter(now)) {
                break;
            }
            found.add(traffic.figures(r.to(), start, end));
        }
        return found;
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
