package dev.regent.observe;

import dev.regent.fleet.FleetSpec;
import dev.regent.fleet.FleetView;
import dev.regent.fleet.RolloutDecision;

/**
 * What the rollout lets {@code host} do about moving live to {@code revision} now, judged from one
 * read of the fleet store. Pure: the same arguments give the same decision.
 */
@FunctionalInterface
public interface RolloutRule {
    RolloutDecision decide(String host, FleetSpec fleet, String revision, FleetView view);
}
