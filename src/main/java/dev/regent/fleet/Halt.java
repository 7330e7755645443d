package dev.regent.fleet;

import java.time.Instant;

/** The stop of a rollout: the first host whose move to revision failed, and why. Written once per revision. */
public record Halt(String revision, String host, String reason, Instant at) {
}
