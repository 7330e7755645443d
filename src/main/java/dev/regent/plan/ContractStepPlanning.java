package dev.regent.plan;

import dev.regent.observe.MigrationRecord;
import dev.regent.observe.ObservedHost;
import dev.regent.observe.PostMigrateRun;
import dev.regent.plan.Action.PostMigrate;
import dev.regent.safety.RoleHolders;
import dev.regent.spec.DesiredState;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** For the pure planner: when the contract step (spec.migrations.postMigrate) runs. */
final class ContractStepPlanning {

    private ContractStepPlanning() {
    }

    /**
     * The contract step of the build that is and stays live, once: only after its release phase
     * applied migrations, and only when none of the builds that served while it migrated holds a
     * role now or after this plan. A recorded run of the same argument list is final; a failed or
     * interrupted one is shown until the desired state names another list. In a fleet sharing one
     * database, also only on the host that migrated the build and once the other hosts left the
     * builds it waits out ({@link FleetContractStep}); returns when to ask the fleet again.
     */
    static Optional<Instant> plan(DesiredState desired, ObservedHost observed, Optional<String> finalLive,
                                  RoleHolders holders, Instant now, List<Action> actions, List<BlockReason> blocked) {
        List<String> run = desired.migrations().postMigrate();
        Optional<String> live = observed.live().filter(l -> finalLive.equals(Optional.of(l)) && desired.live().equals(Optional.of(l)));
        Optional<MigrationRecord> record = live.flatMap(l -> observed.build(l).migration())
                .filter(m -> m.state() == MigrationRecord.State.MIGRATED);
        if (run.isEmpty() || record.isEmpty()) {
            return Optional.empty();
        }
        Optional<PostMigrateRun> ran = record.get().postMigrate().filter(p -> p.settles(run));
        if (ran.isPresent()) {
            if (ran.get().status() != PostMigrateRun.Status.SUCCEEDED) {
                blocked.add(new BlockReason(BlockCode.POST_MIGRATE_FAILED, "the contract step of live build " + live.get()
                        + (ran.get().status() == PostMigrateRun.Status.RUNNING ? " was interrupted" : " failed") + ": "
                        + BuildPreparation.gist(ran.get().output()) + " (nothing else is held back; it runs again only when"
                        + " spec.migrations.postMigrate changes)"));
            }
            return Optional.empty();
        }
        if (holders.builds().stream().anyMatch(record.get()::waitsFor)) {
            return Optional.empty();
        }
        FleetContractStep.Turn turn = FleetContractStep.of(desired, observed, record.get());
        if (turn == FleetContractStep.Turn.WAIT) {
            return Optional.of(now.plus(FleetGuard.POLL));
        }
        if (turn == FleetContractStep.Turn.RUN) {
            List<String> waitedFor = record.get().previous().orElseGet(() -> observed.builds().keySet().stream()
                    .filter(record.get()::waitsFor).toList());
            actions.add(new PostMigrate(live.get(), waitedFor, desired.migrations()));
        }
        return Optional.empty();
    }
}
