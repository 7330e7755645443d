package dev.regent.observe;

import dev.regent.fleet.MigrationRun;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What this host learned of its fleet's migration leads (keyed by {@link FleetMigration#key}): the
 * leads it took, the leads another host held when it asked (and when), and the results it ran but
 * the store has not confirmed yet. The store keeps no reader of the lead, so this is how a later pass
 * knows the answer of the last attempt. It lives as long as the process, as the lease the leads live
 * under does: a restarted host leads nothing of its past and asks again.
 */
public final class MigrationLedger {
    private final Map<String, Optional<Instant>> attempts = new ConcurrentHashMap<>();
    private final Map<String, MigrationRun> unrecorded = new ConcurrentHashMap<>();

    public void led(String key) {
        attempts.put(key, Optional.empty());
    }

    public void lost(String key, Instant at) {
        attempts.put(key, Optional.of(at));
    }

    /** Kept until the store confirmed it: a result only this host knows would hold the fleet back for good. */
    public void ran(MigrationRun run) {
        unrecorded.put(run.revision(), run);
    }

    public void recorded(String key) {
        unrecorded.remove(key);
        attempts.remove(key);
    }

    /** Whether this host took the lead of key (and has not recorded its result). */
    public boolean leads(String key) {
        Optional<Instant> attempt = attempts.get(key);
        return attempt != null && attempt.isEmpty();
    }

    /** When this host last found key led by another host, if it did. */
    public Optional<Instant> lostAt(String key) {
        return attempts.getOrDefault(key, Optional.empty());
    }

    public List<MigrationRun> unrecorded() {
        return List.copyOf(unrecorded.values());
    }
}
