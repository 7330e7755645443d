package dev.regent.observe;

import java.time.Instant;

/**
 * Why a build could not be made or started: the step, the tail of its output. A failed build step
 * leaves no folder; a build whose pool never came up or never passed its health check keeps its
 * folder, and then the record names one of {@link #POOL_STEP} or {@link #HEALTH_STEP}. Kept until
 * the build's ref changes or it is unlisted (which removes the record with the folder).
 */
public record BuildFailure(String name, String ref, String step, String output, Instant at) {
    public static final String KIND = "failed";
    public static final String POOL_STEP = "start the worker pool";
    public static final String HEALTH_STEP = "health check";

    /**
     * Whether this failure is about the complete build {@code record}: the same ref, recorded no
     * earlier than the build was made. An older record with that ref is a step failure of an earlier
     * attempt whose removal a crash interrupted, and says nothing about this build.
     */
    public boolean concerns(BuildRecord record) {
        return ref.equals(record.ref()) && !at.isBefore(record.createdAt());
    }
}
