package dev.regent.fleet;

import java.time.Clock;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * One host's side of a fleet rollout. Each {@link #step} publishes the host's record, reads the
 * fleet, asks the {@link RolloutGate} and does at most one thing: join the slot queue, move live
 * while holding a slot, or give the slot back. It never moves live without a slot held in a read
 * made after the slot was taken. Not thread-safe: one reconcile at a time drives it.
 */
public final class RolloutDriver {
    private final String host;
    private final Coordinator coordinator;
    private final LiveMover mover;
    private final Clock clock;
    /** Revisions whose slot queue this host may still be in (a release may have failed). */
    private final Set<String> queued = new HashSet<>();
    /** A halt this host owes the fleet: its move failed and the store did not take the halt yet. */
    private Optional<Halt> unwrittenHalt = Optional.empty();
    private Optional<String> failedRevision = Optional.empty();
    private String lastMessage = "waits for its turn to move live";

    public RolloutDriver(String host, Coordinator coordinator, LiveMover mover, Clock clock) {
        this.host = host;
        this.coordinator = coordinator;
        this.mover = mover;
        this.clock = clock;
    }

    /** Publishes a waiting record for revision (while building and warming), so the hosts after it wait for it. */
    public void announce(String revision, String message) throws FleetUnavailable {
        publish(revision, HostRecord.State.WAITING, message);
    }

    public RolloutStep step(String revision, FleetSpec fleet) {
        try {
            if (unwrittenHalt.isPresent()) {
                return writeHaltThenRelease(unwrittenHalt.get());
            }
            leaveQueuesOtherThan(revision);
            if (!mover.needsMove(revision)) {
                publish(revision, HostRecord.State.CONVERGED, "live serves revision " + revision);
                leave(revision);
                return new RolloutStep.AlreadyLive(revision);
            }
            publish(revision, recordState(revision, fleet), lastMessage);
            RolloutDecision decision = decide(revision, fleet);
            if (decision instanceof RolloutDecision.Queue) {
                queued.add(revision);
                if (!coordinator.queue(revision, fleet.rollout().maxParallel())) {
                    return held(decision);
                }
                // Read again now that the slot is held: a host whose move failed wrote its halt
                // before it freed this slot, so this read sees that halt.
                decision = decide(revision, fleet);
            }
            if (decision instanceof RolloutDecision.MayMove) {
                queued.add(revision);
                return move(revision);
            }
            if (decision instanceof RolloutDecision.Halted || decision instanceof RolloutDecision.Paused) {
                leave(revision);
            }
            return held(decision);
        } catch (FleetUnavailable unavailable) {
            return held(new RolloutDecision.Unavailable(unavailable.getMessage()));
        }
    }

    private RolloutDecision decide(String revision, FleetSpec fleet) throws FleetUnavailable {
        return RolloutGate.decide(host, fleet, revision, coordinator.view(revision));
    }

    private RolloutStep move(String revision) throws FleetUnavailable {
        publish(revision, HostRecord.State.MOVING, "moves live to revision " + revision);
        MoveOutcome outcome = mover.move(revision);
        if (outcome instanceof MoveOutcome.Failed failed) {
            failedRevision = Optional.of(revision);
            unwrittenHalt = Optional.of(new Halt(revision, host, failed.reason(), clock.instant()));
            return writeHaltThenRelease(unwrittenHalt.get());
        }
        try {
            // Converged before the slot is freed, so the hosts after this one always see it converged or holding a slot.
            publish(revision, HostRecord.State.CONVERGED, "live serves revision " + revision);
            leave(revision);
        } catch (FleetUnavailable unavailable) {
            // Live moved; the slot stays in this host's queue set and is freed on its next step.
        }
        return new RolloutStep.Moved(revision);
    }

    /**
     * The halt goes first: only once the store holds it may the slot be freed, so no host can take
     * the slot and move without seeing the halt. If the store does not answer the slot stays held.
     */
    private RolloutStep writeHaltThenRelease(Halt halt) {
        Optional<Halt> standing = Optional.empty();
        try {
            standing = Optional.of(coordinator.halt(halt));
            unwrittenHalt = Optional.empty();
            lastMessage = "its move failed: " + halt.reason();
            publish(halt.revision(), HostRecord.State.FAILED, lastMessage);
            leave(halt.revision());
        } catch (FleetUnavailable unavailable) {
            // Without the halt the slot stays held and the halt is written first on the next step;
            // with it, a slot not yet freed stays in this host's queue set and is freed on the next step.
        }
        return new RolloutStep.MoveFailed(halt.revision(), halt.reason(), standing);
    }

    private HostRecord.State recordState(String revision, FleetSpec fleet) {
        boolean paused = fleet.hosts().stream().anyMatch(h -> h.name().equals(host) && !h.movesLive());
        if (paused) {
            return HostRecord.State.PAUSED;
        }
        return failedRevision.equals(Optional.of(revision)) ? HostRecord.State.FAILED : HostRecord.State.WAITING;
    }

    private RolloutStep held(RolloutDecision decision) {
        lastMessage = decision.message();
        return new RolloutStep.Held(decision);
    }

    private void leaveQueuesOtherThan(String revision) throws FleetUnavailable {
        for (String other : Set.copyOf(queued)) {
            if (!other.equals(revision)) {
                leave(other);
            }
        }
    }

    private void leave(String revision) throws FleetUnavailable {
        if (queued.contains(revision)) {
            coordinator.release(revision);
            queued.remove(revision);
        }
    }

    private void publish(String revision, HostRecord.State state, String message) throws FleetUnavailable {
        coordinator.publish(new HostRecord(host, revision, mover.live(), mover.stage(), state, message, clock.instant()));
    }
}
