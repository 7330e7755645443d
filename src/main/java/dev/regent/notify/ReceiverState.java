package dev.regent.notify;

import java.time.Instant;
import java.util.Optional;

/**
 * What status shows of a receiver: its last delivered notice, its last failed attempt and why,
 * how many notices wait for it, and how many it was given up on after every retry.
 */
public record ReceiverState(String name, String kind, Optional<Instant> lastSuccess, Optional<Instant> lastFailure,
                            Optional<String> lastError, int queued, long sent, long givenUp) {

    static ReceiverState fresh(String name, String kind) {
        return new ReceiverState(name, kind, Optional.empty(), Optional.empty(), Optional.empty(), 0, 0, 0);
    }

    ReceiverState queued(String currentKind, int count) {
        return new ReceiverState(name, currentKind, lastSuccess, lastFailure, lastError, count, sent, givenUp);
    }

    ReceiverState succeeded(Instant at, int stillQueued) {
        return new ReceiverState(name, kind, Optional.of(at), lastFailure, lastError, stillQueued, sent + 1, givenUp);
    }

    ReceiverState failed(Instant at, String why, int stillQueued, boolean gaveUp) {
        return new ReceiverState(name, kind, lastSuccess, Optional.of(at), Optional.of(why), stillQueued, sent,
                givenUp + (gaveUp ? 1 : 0));
    }

    /** One line for `regent status`. */
    public String describe() {
        return name + " (" + kind + "): " + queued + " queued, " + sent + " sent"
                + lastSuccess.map(t -> ", last delivered " + t).orElse("")
                + lastFailure.map(t -> ", last failed " + t + lastError.map(e -> ": " + e).orElse("")).orElse("")
                + (givenUp > 0 ? ", " + givenUp + " given up" : "");
    }
}
