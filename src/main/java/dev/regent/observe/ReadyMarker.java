package dev.regent.observe;

import dev.regent.fs.HostFiles;
import dev.regent.fs.HostLayout;
import java.time.Instant;
import java.util.Optional;

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

    /**
     * A build's marker of that kind. An unreadable marker reads as absent, and that is safe: a marker
     * only ever grants (a role may move to the build), so without it the build is merely not proven
     * and the next health check writes it again.
     */
    public static Optional<ReadyMarker> read(HostLayout layout, String build, String kind) {
        return HostFiles.readJson(layout.marker(build, kind), ReadyMarker.class);
    }

    public boolean routerRespawnedSince(int currentRouterPid) {
        return routerPid != 0 && routerPid != currentRouterPid;
    }
}
