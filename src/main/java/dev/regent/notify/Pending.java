package dev.regent.notify;

import dev.regent.events.PromotionEvent;
import java.time.Instant;

/** A notice waiting for one receiver: the event, how many attempts failed, and when to try next. */
record Pending(long seq, String receiver, String key, PromotionEvent event, int failures, Instant due) {

    Pending failedOnce(Instant next) {
        return new Pending(seq, receiver, key, event, failures + 1, next);
    }

    String fileName() {
        return String.format("%012d-%s.json", seq, receiver);
    }
}
