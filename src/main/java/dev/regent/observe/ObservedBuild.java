package dev.regent.observe;

import dev.regent.uwsgi.StatsReader.UwsgiStats;
import java.util.Optional;

/**
 * One build as found on the host. {@code record} is present only for a complete build folder;
 * {@code folder} is true for any folder of that name.
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
        Optional<BuildFailure> failure) {

    public static ObservedBuild absent(String name) {
        return new ObservedBuild(name, false, Optional.empty(), false, false, Optional.empty(), Optional.empty(),
                false, false, Optional.empty());
    }

    public boolean complete() {
        return record.isPresent();
    }

    public boolean poolAccepting() {
        return pool.map(UwsgiStats::allAccepting).orElse(false);
    }
}
