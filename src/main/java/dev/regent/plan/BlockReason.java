package dev.regent.plan;

/** Why something cannot be done now: a code to match on and the message a person reads. */
public record BlockReason(BlockCode code, String message) {
}
