package dev.regent.observe;

import java.time.Instant;

/** Why a build could not be made: the step, the tail of its output. Kept until the build's ref changes or it is unlisted. */
public record BuildFailure(String name, String ref, String step, String output, Instant at) {
    public static final String KIND = "failed";
}
