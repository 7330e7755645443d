package dev.regent.observe;

import java.time.Instant;

/**
 * Proof that the pool with master {@code poolPid} answered its health check (kind "healthy") or was
 * warmed up (kind "warm"). A respawned pool has a new pid, so an old proof does not carry over.
 */
public record ReadyMarker(int poolPid, Instant at) {
    public static final String HEALTHY = "healthy";
    public static final String WARM = "warm";
}
