package dev.regent.reconcile;

import dev.regent.fleet.FleetUnavailable;
import dev.regent.observe.FleetReading;
import dev.regent.observe.ObservedHost;
import dev.regent.observe.SlotLedger;
import dev.regent.plan.Plan;
import dev.regent.spec.DesiredState;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A host's part in its fleet, for the loop: each observation gets the fleet's turn for the revision
 * the loop applies, and after each plan the host publishes its record. Both only for a desired state
 * with a fleet; {@link #NONE} (no fleet store) leaves every observation as it is and publishes nothing.
 */
public final class FleetLink {
    public static final FleetLink NONE = new FleetLink(Optional.empty(), Optional.empty(), Clock.systemUTC());
    private static final Logger LOG = LoggerFactory.getLogger("regent.fleet");
    private final Optional<FleetMember> member;
    private final Optional<FleetReading> reading;
    private final Clock clock;

    private FleetLink(Optional<FleetMember> member, Optional<FleetReading> reading, Clock clock) {
        this.member = member;
        this.reading = reading;
        this.clock = clock;
    }

    /** ledger: the slots this host holds, shared with the executor's fleet steps, which keep it. */
    public static FleetLink of(FleetMember member, SlotLedger ledger, Clock clock) {
        return new FleetLink(Optional.of(member),
                Optional.of(new FleetReading(member.coordinator(), member.host(), member.rule(), ledger)), clock);
    }

    public ObservedHost observe(DesiredState desired, String revision, ObservedHost observed) {
        return reading.map(r -> r.addTo(observed, desired, revision)).orElse(observed);
    }

    /** Best effort: a record that could not be written is logged; the host's record then expires with its lease. */
    void publish(DesiredState desired, String revision, ObservedHost observed, Plan plan) {
        if (member.isEmpty() || desired.fleet().isEmpty()) {
            return;
        }
        String host = member.get().host();
        try {
            member.get().coordinator().publish(HostRecords.of(host, revision, desired, observed, plan, clock.instant()));
        } catch (FleetUnavailable | RuntimeException e) {
            LOG.warn("could not publish the record of host {} to the fleet store: {}", host, e.getMessage());
        }
    }
}
