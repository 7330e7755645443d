package dev.regent.server;

import dev.regent.fleet.FleetSpec;
import dev.regent.fleet.FleetView;
import dev.regent.fleet.Halt;
import dev.regent.fleet.HostRecord;
import dev.regent.fleet.RolloutDecision;
import dev.regent.fleet.RolloutGate;
import dev.regent.fs.HostLayout;
import dev.regent.spec.DesiredState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * This host's place in its fleet as its loop last saw it ({@link FleetSighting}): the rollout's
 * decision for it in words (judged again by the same pure gate from the same view), whether it holds
 * a slot, the revision's halt, and the other hosts of the fleet file as their records then said.
 * Pure. observedSecondsAgo: the age of that read.
 */
public record FleetStatus(String host, String revision, String decision, boolean holdsSlot, Optional<Halt> halt,
                          List<Peer> others, Instant observedAt, long observedSecondsAgo) {

    public FleetStatus {
        others = List.copyOf(others);
    }

    /** Another host: its record's state and message, or none (down or not started). */
    public record Peer(String host, Optional<HostRecord.State> state, Optional<String> revision, Optional<String> message) {
    }

    /** For a fleet host: its loop's last sighting, judged against the fleet of desired; empty for a host in no fleet or not yet seen. */
    public static Optional<FleetStatus> read(HostLayout layout, DesiredState desired, Instant now) {
        return desired.fleet().flatMap(fleet -> FleetSighting.read(layout).map(seen -> of(fleet, seen, now)));
    }

    public static FleetStatus of(FleetSpec fleet, FleetSighting seen, Instant now) {
        long age = Math.max(0, Duration.between(seen.at(), now).toSeconds());
        if (seen.view().isEmpty()) {
            String reason = seen.unavailable().orElse("no answer");
            return new FleetStatus(seen.host(), seen.revision(), new RolloutDecision.Unavailable(reason).message(), false,
                    Optional.empty(), List.of(), seen.at(), age);
        }
        FleetView view = seen.view().get();
        List<Peer> others = fleet.hosts().stream().map(h -> h.name()).filter(name -> !name.equals(seen.host()))
                .map(name -> Optional.ofNullable(view.hosts().get(name))
                        .map(r -> new Peer(name, Optional.of(r.state()), Optional.of(r.revision()), Optional.of(r.message())))
                        .orElse(new Peer(name, Optional.empty(), Optional.empty(), Optional.empty())))
                .toList();
        return new FleetStatus(seen.host(), seen.revision(),
                RolloutGate.decide(seen.host(), fleet, seen.revision(), view).message(),
                view.slotHolders(fleet.rollout().maxParallel()).contains(seen.host()), view.halt(), others, seen.at(), age);
    }

    /** The "fleet:" line of {@code regent status}. */
    public String line() {
        String peers = others.stream().map(p -> p.host() + " " + p.state().map(Enum::name).orElse("no record")
                + p.revision().filter(r -> !r.equals(revision)).map(r -> " (on another revision)").orElse("")).toList()
                .toString();
        return "fleet: host " + host + (holdsSlot ? " (holds a slot)" : "") + ": " + decision
                + (others.isEmpty() ? "" : "; others " + peers.substring(1, peers.length() - 1))
                + " (seen " + observedSecondsAgo + "s ago)";
    }
}
