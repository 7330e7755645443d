package dev.regent.fleet;

import java.util.List;

/**
 * The fleet part of a {@code kind: Fleet} desired-state file: its hosts (file order), rollout
 * policy, and whether the hosts share one database (then a build's migrations run once per
 * fleet, on the host that leads them) or each has its own (each host migrates its own).
 */
public record FleetSpec(List<FleetHost> hosts, RolloutPolicy rollout, Database database) {

    public enum Database {
        SHARED("shared"), PER_HOST("perHost");

        private final String word;

        Database(String word) {
            this.word = word;
        }

        /** As spec.fleet.database spells it. */
        public String word() {
            return word;
        }
    }

    public FleetSpec {
        hosts = List.copyOf(hosts);
    }

    public FleetSpec(List<FleetHost> hosts, RolloutPolicy rollout) {
        this(hosts, rollout, Database.SHARED);
    }

    public boolean migratesOnce() {
        return database == Database.SHARED;
    }
}
