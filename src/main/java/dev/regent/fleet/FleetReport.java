package dev.regent.fleet;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code regent fleet status} shows, from one read of the fleet store: every host of the fleet
 * file in file order (then any host with a record that the file no longer names), and for each
 * revision some host applies, its slot holders, the hosts waiting for a slot, and its halt. Pure.
 */
public record FleetReport(String fleet, int maxParallel, List<Host> hosts, List<Rollout> rollouts) {

    public static final String NO_RECORD = "no record (down or not started)";
    private static final int SHORT_REVISION = 12;

    public FleetReport {
        hosts = List.copyOf(hosts);
        rollouts = List.copyOf(rollouts);
    }

    /**
     * One host. record: what it last published (empty: no record, the host is down or not started).
     * inFleetFile: false for a host that publishes but the fleet file no longer names. ageSeconds: how
     * old its record is.
     */
    public record Host(String host, boolean paused, boolean drained, boolean inFleetFile, Optional<HostRecord> record,
                       Optional<Long> ageSeconds) {
    }

    /** A revision some host applies: those hosts, its slot holders, the hosts queued behind them, its halt. */
    public record Rollout(String revision, List<String> appliedBy, List<String> slotHolders, List<String> queued,
                          Optional<Halt> halt) {
        public Rollout {
            appliedBy = List.copyOf(appliedBy);
            slotHolders = List.copyOf(slotHolders);
            queued = List.copyOf(queued);
        }
    }

    /** views: the store's view of each revision the records name (a revision without a view shows no slots and no halt). */
    public static FleetReport of(String fleet, FleetSpec spec, Map<String, HostRecord> records, Map<String, FleetView> views,
                                 Instant now) {
        List<Host> hosts = new ArrayList<>();
        for (FleetHost host : spec.hosts()) {
            Optional<HostRecord> record = Optional.ofNullable(records.get(host.name()));
            hosts.add(new Host(host.name(), host.paused(), host.drained(), true, record, record.map(r -> age(r, now))));
        }
        records.keySet().stream().sorted()
                .filter(name -> spec.hosts().stream().noneMatch(h -> h.name().equals(name)))
                .forEach(name -> hosts.add(new Host(name, false, false, false, Optional.of(records.get(name)),
                        Optional.of(age(records.get(name), now)))));
        Map<String, List<String>> applying = new LinkedHashMap<>();
        hosts.forEach(h -> h.record().ifPresent(r -> applying.computeIfAbsent(r.revision(), k -> new ArrayList<>()).add(h.host())));
        int maxParallel = spec.rollout().maxParallel();
        List<Rollout> rollouts = applying.entrySet().stream().map(e -> {
            Optional<FleetView> view = Optional.ofNullable(views.get(e.getKey()));
            List<String> holders = view.map(v -> v.slotHolders(maxParallel)).orElse(List.of());
            List<String> queued = view.map(v -> v.slotQueue().subList(holders.size(), v.slotQueue().size())).orElse(List.of());
            return new Rollout(e.getKey(), e.getValue(), holders, queued, view.flatMap(FleetView::halt));
        }).toList();
        return new FleetReport(fleet, maxParallel, hosts, rollouts);
    }

    /** Whether a halt stands for a revision some host applies. */
    public boolean halted() {
        return rollouts.stream().anyMatch(r -> r.halt().isPresent());
    }

    public List<String> text() {
        List<String> lines = new ArrayList<>();
        lines.add("fleet " + fleet + ": " + hosts.stream().filter(Host::inFleetFile).count() + " hosts, "
                + hosts.stream().filter(h -> h.record().isPresent()).count() + " with a record, maxParallel " + maxParallel);
        String row = "%-10s %-10s %-13s %-6s %-6s %-6s %s";
        lines.add(String.format(row, "HOST", "STATE", "REVISION", "LIVE", "STAGE", "AGE", "MESSAGE").stripTrailing());
        for (Host host : hosts) {
            String name = host.host() + (host.paused() || host.drained() ? "*" : "");
            String line = host.record().map(r -> String.format(row, name, r.state(), shortRevision(r.revision()),
                    r.live().orElse("-"), r.stage().orElse("-"), words(host.ageSeconds().orElse(0L)), r.message()))
                    .orElse(String.format("%-10s %s", name, NO_RECORD));
            lines.add((line + (host.inFleetFile() ? "" : "  (not in the fleet file)")).stripTrailing());
        }
        if (hosts.stream().anyMatch(h -> h.paused() || h.drained())) {
            lines.add("* paused or drained in the fleet file: never moves live");
        }
        for (Rollout rollout : rollouts) {
            lines.add("revision " + shortRevision(rollout.revision()) + " (applied by " + String.join(", ", rollout.appliedBy())
                    + "): slot " + (rollout.slotHolders().isEmpty() ? "free" : "held by " + String.join(", ", rollout.slotHolders()))
                    + (rollout.queued().isEmpty() ? "" : "; queued: " + String.join(", ", rollout.queued())));
            rollout.halt().ifPresent(h -> lines.add("  HALTED by " + h.host() + " at " + h.at() + ": " + h.reason()));
        }
        return lines;
    }

    public static String shortRevision(String revision) {
        return revision.length() <= SHORT_REVISION ? revision : revision.substring(0, SHORT_REVISION);
    }

    private static long age(HostRecord record, Instant now) {
        return Math.max(0, Duration.between(record.at(), now).toSeconds());
    }

    static String words(long seconds) {
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return seconds / 60 + "m" + (seconds % 60 == 0 ? "" : seconds % 60 + "s");
        }
        return seconds / 3600 + "h" + (seconds % 3600 / 60 == 0 ? "" : seconds % 3600 / 60 + "m");
    }
}
