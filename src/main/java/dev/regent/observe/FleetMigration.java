package dev.regent.observe;

import dev.regent.fleet.MigrationRun;
import dev.regent.spec.DesiredState;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The fleet's migration of one build's code, as observed: in a fleet the migrations of a commit run
 * once, on the host that takes the lead of {@code key}. {@code result}: what the leader recorded, if it
 * did. {@code leads}: this host holds the lead; {@code lostAt}: when this host last found another host
 * holding it ({@link MigrationLedger}).
 */
public record FleetMigration(String build, String key, Optional<MigrationRun> result, boolean leads,
                             Optional<Instant> lostAt) {

    /** The key of the migrations of a build made from {@code commit}: the code migrated, the same on every host. */
    public static String key(String commit) {
        return "migrate-" + commit;
    }

    /**
     * The builds whose migrations the plan needs now, with their keys: complete builds that are to
     * take a role they do not hold and are not migrated (the planner's rule for a release phase).
     */
    public static Map<String, String> needed(DesiredState desired, ObservedHost observed) {
        var keys = new TreeMap<String, String>();
        for (var spec : desired.builds().values()) {
            String name = spec.name();
            ObservedBuild found = observed.build(name);
            boolean hasRole = desired.live().equals(Optional.of(name)) || desired.stage().equals(Optional.of(name));
            boolean holdsRole = observed.live().equals(Optional.of(name)) || observed.stage().equals(Optional.of(name));
            if (spec.active() && hasRole && !holdsRole && !found.migrated()) {
                found.record().map(BuildRecord::commit).ifPresent(commit -> keys.put(name, key(commit)));
            }
        }
        return keys;
    }
}
