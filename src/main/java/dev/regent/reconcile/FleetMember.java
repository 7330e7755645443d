package dev.regent.reconcile;

import dev.regent.fleet.Coordinator;
import dev.regent.observe.RolloutRule;

/** This host as a member of a fleet: its name in the fleet file, the fleet store, and the rule that gives it its turn. */
public record FleetMember(String host, Coordinator coordinator, RolloutRule rule) {
}
