package dev.regent.observe;

import dev.regent.uwsgi.StatsReader.UwsgiStats;
import java.util.Optional;

/**
 * One build as found on the host. {@code record} is present only for a complete build folder;
 * {@code folder} is true for any folder of that name. {@code poolOrphaned}: the pool still runs,
 * but its router was respawned after the pool attached to it, so no request reaches the pool.
 */
public record ObservedBuild(
        String name,
        boolean folder,
        Optional<BuildRecord> record,
        boolean vassalLinked,
        boolean poolLinked,
        Optional<UwsgiStats> vassal,
        Optional<UwsgiStats> pool,
        boolean healthy,
        boolean warm,
        Optional<BuildFailure> failure,
        Optional<String> liveInclude,
        Optional<String> stageInclude,
        boolean poolOrphaned,
        Optional<MigrationRecord> migration) {

    public ObservedBuild(String name, boolean folder, Optional<BuildRecord> record, boolean vassalLinked,
                         boolean poolLinked, Optional<UwsgiStats> vassal, Optional<UwsgiStats> pool, boolean healthy,
                         boolean warm, Optional<BuildFailure> failure, Optional<String> liveInclude,
                         Optional<String> stageInclude, boolean poolOrphaned) {
        this(name, folder, record, vassalLinked, poolLinked, vassal, pool, healthy, warm, failure, liveInclude,
                stageInclude, poolOrphaned, Optional.empty());
    }

    public ObservedBuild(String name, boolean folder, Optional<BuildRecord> record, boolean vassalLinked,
                         boolean poolLinked, Optional<UwsgiStats> vassal, Optional<UwsgiStats> pool, boolean healthy,
                         boolean warm, Optional<BuildFailure> failure, Optional<String> liveInclude,
                         Optional<String> stageInclude) {
        this(name, folder, record, vassalLinked, poolLinked, vassal, pool, healthy, warm, failure, liveInclude,
                stageInclude, false);
    }

    public ObservedBuild(String name, boolean folder, Optional<BuildRecord> record, boolean vassalLinked,
                         boolean poolLinked, Optional<UwsgiStats> vassal, Optional<UwsgiStats> pool, boolean healthy,
                         boolean warm, Optional<BuildFailure> failure) {
        this(name, folder, record, vassalLinked, poolLinked, vassal, pool, healthy, warm, failure,
                Optional.empty(), Optional.empty());
    }

    public static ObservedBuild absent(String name) {
        return new ObservedBuild(name, false, Optional.empty(), false, false, Optional.empty(), Optional.empty(),
                false, false, Optional.empty());
    }

    public ObservedBuild withIncludes(Optional<String> live, Optional<String> stage) {
        return new ObservedBuild(name, folder, record, vassalLinked, poolLinked, vassal, pool, healthy, warm, failure,
                live, stage, poolOrphaned, migration);
    }

    public ObservedBuild withOrphanedPool() {
        return new ObservedBuild(name, folder, record, vassalLinked, poolLinked, vassal, pool, false, false, failure,
                liveInclude, stageInclude, true, migration);
    }

    /** The build's release phase record (only one about this very build, see {@link MigrationRecord#concerns}). */
    public ObservedBuild withMigration(Optional<MigrationRecord> record) {
        return new ObservedBuild(name, folder, this.record, vassalLinked, poolLinked, vassal, pool, healthy, warm, failure,
                liveInclude, stageInclude, poolOrphaned, record);
    }

    /** Its release phase ran (or found no database), so it may take a role. */
    public boolean migrated() {
        return migration.filter(MigrationRecord::done).isPresent();
    }

    public boolean complete() {
        return record.isPresent();
    }

    public boolean poolAccepting() {
        return pool.map(UwsgiStats::allAccepting).orElse(false);
    }
}
