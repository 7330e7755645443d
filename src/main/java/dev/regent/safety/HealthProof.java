package dev.regent.safety;

import dev.regent.observe.ReadyMarker;
import dev.regent.uwsgi.StatsReader.UwsgiStats;
import java.util.Optional;

/**
 * The rule that a role only points at a proven build: its HEALTHY marker names the pid of the pool
 * running now (a respawned pool has a new pid), and the pool's router was not respawned since the
 * proof (a pool attaches to its router once, at start, so it would be orphaned). The observer
 * applies it to decide what is healthy; the executor applies it again right before it moves a role.
 */
public enum HealthProof {
    PROVEN("its pool answered a health check"),
    ORPHANED("its router was respawned after its pool's health check, so no request reaches the pool"),
    UNPROVEN("its pool has not answered a health check");

    private final String meaning;

    HealthProof(String meaning) {
        this.meaning = meaning;
    }

    public static HealthProof of(Optional<ReadyMarker> healthy, Optional<UwsgiStats> pool, Optional<UwsgiStats> router) {
        if (!madeFor(healthy, pool)) {
            return UNPROVEN;
        }
        return router.filter(r -> healthy.get().routerRespawnedSince(r.pid())).isPresent() ? ORPHANED : PROVEN;
    }

    /** Whether a marker (healthy or warm) was made for the pool running now. */
    public static boolean madeFor(Optional<ReadyMarker> marker, Optional<UwsgiStats> pool) {
        return marker.isPresent() && pool.isPresent() && marker.get().poolPid() == pool.get().pid();
    }

    /** Reads as the end of "refusing to point live at build c: ...". */
    public String meaning() {
        return meaning;
    }
}
