package dev.regent.fleet;

import java.util.List;

/** The fleet part of a {@code kind: Fleet} desired-state file: its hosts (file order) and rollout policy. */
public record FleetSpec(List<FleetHost> hosts, RolloutPolicy rollout) {

    public FleetSpec {
        hosts = List.copyOf(hosts);
    }
}
