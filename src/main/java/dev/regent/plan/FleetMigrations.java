package dev.regent.plan;

import dev.regent.fleet.FleetSpec;
import dev.regent.fleet.MigrationRun;
import dev.regent.observe.FleetMigration;
import dev.regent.observe.ObservedFleet;
import dev.regent.observe.ObservedHost;
import dev.regent.plan.Action.AdoptMigration;
import dev.regent.plan.Action.LeadMigration;
import dev.regent.plan.Action.Migrate;
import dev.regent.plan.Action.RecordMigration;
import dev.regent.spec.DesiredState;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A fleet's migrations, for the pure planner: the hosts of a fleet share one database, so the
 * migrations of a build's code (keyed by its commit) run once, on the host that takes the lead. The
 * leader migrates as a host alone would, then records the result; the others wait for that result
 * and adopt it (migrated by the leader, or failed with its output). A host that found the lead taken
 * asks again after {@link FleetGuard#POLL}, so a leader that dies (its lease and lead expire) is
 * replaced. While the store does not answer no migration runs. A host whose observation carries no
 * fleet turn (no fleet, or no fleet store) migrates exactly as before.
 */
final class FleetMigrations {

    private FleetMigrations() {
    }

    /** {@code migrates}: the build is migrated once this plan's actions ran; {@code lookAgainAt}: when to ask the store again. */
    record Step(boolean migrates, Optional<Instant> lookAgainAt) {
    }

    /** Plans the release phase {@code migrate} of a build that needs one. */
    static Step plan(DesiredState desired, ObservedHost observed, Migrate migrate, Instant now, List<Action> actions,
                     List<BlockReason> blocked) {
        if (observed.fleet().isEmpty() || desired.fleet().filter(FleetSpec::migratesOnce).isEmpty()) {
            actions.add(migrate);
            return new Step(true, Optional.empty());
        }
        ObservedFleet fleet = observed.fleet().get();
        String build = migrate.build();
        if (fleet.view().isEmpty()) {
            blocked.add(new BlockReason(BlockCode.FLEET_UNAVAILABLE, "build " + build + " is not migrated: the migrations"
                    + " of a fleet run on one host, and the fleet store does not answer (" + fleet.decision().message() + ")"));
            return new Step(false, Optional.of(now.plus(FleetGuard.POLL)));
        }
        Optional<FleetMigration> found = Optional.ofNullable(fleet.migrations().get(build));
        if (found.isEmpty()) {
            // Made by this plan: its commit, the migration's key, is known once it is made, and the loop
            // plans again after each action, so its migration is decided before anything after it runs.
            return new Step(true, Optional.empty());
        }
        FleetMigration migration = found.get();
        String commit = PromotionGuard.shortRevision(migration.key().replaceFirst("^migrate-", ""));
        if (migration.result().isPresent()) {
            MigrationRun run = migration.result().get();
            actions.add(new AdoptMigration(build, run));
            return new Step(run.succeeded(), Optional.empty());
        }
        if (migration.leads()) {
            actions.add(new Migrate(build, migrate.live(), migrate.settings(), Optional.of(migration.key())));
            return new Step(true, Optional.empty());
        }
        Optional<Instant> askAgain = migration.lostAt().map(at -> at.plus(FleetGuard.POLL)).filter(now::isBefore);
        if (askAgain.isPresent()) {
            blocked.add(new BlockReason(BlockCode.FLEET_MIGRATION, "build " + build + " waits for another host of the"
                    + " fleet to migrate the database (commit " + commit + ")"));
            return new Step(false, askAgain);
        }
        actions.add(new LeadMigration(build, migration.key()));
        return new Step(false, Optional.empty());
    }

    /** The results this host ran but the store has not confirmed: recorded first, the other hosts wait for them. */
    static void owed(DesiredState desired, ObservedHost observed, List<Action> actions) {
        observed.fleet().filter(f -> f.view().isPresent() && desired.fleet().isPresent())
                .ifPresent(f -> f.unrecorded().forEach(run -> actions.add(new RecordMigration(run))));
    }
}
