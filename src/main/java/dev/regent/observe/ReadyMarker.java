package dev.regent.observe;

import java.time.Instant;

/**
 * Proof that the pool with master {@code poolPid} answered its health check (kind "healthy") or was
 * warmed up (kind "warm"). A respawned pool has a new pid, so an old proof does not carry over.
 * {@code routerPid} is the router's master when the proof was made (0 if unknown): a pool attaches
 * to its router's socket once, at start, so a router respawned since then leaves the pool orphaned.
 */
public record ReadyMarker(int poolPid, int routerPid, Instant at) {
    public static final String HEALTHY = "healthy";
    public static final String WARM = "warm";

    public ReadyMarker(int poolPid, Instant at) {
        this(poolPid, 0, at);
    }

    public boolean routerRespawnedSince(int currentRouterPid) {
        return routerPid != 0 && routerPid != currentRouterPid;
    }
}
