package dev.regent.reconcile;

import java.time.Instant;
import java.util.Optional;

/**
 * Whether `regent run`'s loop is alive and its last pass went through, for the status API and
 * /healthz. A pass fails when something it needs throws (the host unreadable, a status file not
 * saved); that is apart from a reconcile's outcome, which the pass reports as usual.
 */
public final class LoopHealth {
    public enum State { STARTING, RUNNING, STOPPED }

    /** The last pass failed while trying to {@code step}, {@code inARow} passes running. */
    public record Failure(String step, String reason, Instant at, int inARow) {
        public String describe() {
            return "the loop could not " + step + (inARow > 1 ? " (" + inARow + " passes in a row)" : "") + ": " + reason;
        }
    }

    private State state = State.STARTING;
    private Optional<Failure> failing = Optional.empty();
    private long failures;

    public synchronized void running() {
        state = State.RUNNING;
    }

    public synchronized void stopped() {
        state = State.STOPPED;
    }

    public synchronized void passed() {
        failing = Optional.empty();
    }

    public synchronized void failed(String step, String reason, Instant at) {
        failing = Optional.of(new Failure(step, reason, at, failing.map(f -> f.inARow() + 1).orElse(1)));
        failures++;
    }

    public synchronized State state() {
        return state;
    }

    /** The failure of the last pass; empty once a pass went through. */
    public synchronized Optional<Failure> failing() {
        return failing;
    }

    /** Failed passes since the loop started. */
    public synchronized long failures() {
        return failures;
    }
}
