package dev.regent.apply;

import static org.assertj.core.api.Assertions.assertThat;

import dev.regent.fleet.InMemoryCoordinator;
import dev.regent.fleet.MigrationRun;
import dev.regent.fs.HostFiles;
import dev.regent.fs.HostLayout;
import dev.regent.observe.BuildFailure;
import dev.regent.observe.BuildRecord;
import dev.regent.observe.MigrationRecord;
import dev.regent.observe.SlotLedger;
import dev.regent.plan.Action.AdoptMigration;
import dev.regent.plan.Action.LeadMigration;
import dev.regent.plan.Action.Migrate;
import dev.regent.plan.Action.RecordMigration;
import dev.regent.spec.MigrationSpec;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A fleet's migration in the executor: the lead through the store, the leader's result recorded, another host's adopted. */
class FleetMigrationStepsTest {
    private static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");
    private static final String KEY = "migrate-0123456789abcdef0123456789abcdef01234567";
    private static final Migrate MIGRATE = new Migrate("b", Optional.empty(), MigrationSpec.DEFAULT, Optional.of(KEY));
    @TempDir
    Path tmp;
    final InMemoryCoordinator.Fleet store = new InMemoryCoordinator.Fleet();
    final Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
    final SlotLedger ledger = new SlotLedger();
    final List<Migrate> released = new ArrayList<>();

    FleetSteps steps(String host) {
        return new FleetSteps(store.coordinatorFor(host), host, ledger, clock);
    }

    /** The release phase, as a function that records it ran and answers {@code result}. */
    java.util.function.Function<Migrate, ActionResult> release(ActionResult result) {
        return a -> {
            released.add(a);
            return result;
        };
    }

    Executor executor(String host) {
        return FleetExecutors.executor(new HostLayout(tmp), FleetExecutors.refusingDocker("no migration may run on this host"),
                clock, steps(host));
    }

    void madeB() {
        var layout = new HostLayout(tmp);
        HostFiles.writeJson(layout.build("b").resolve(BuildRecord.FILE), new BuildRecord("b", "v2",
                "0123456789abcdef0123456789abcdef01234567", "app", 2010, "tag", T0.minusSeconds(60)));
    }

    @Test
    void theFirstToAskLeadsAndTheOthersLearnWhenTheyFoundItTaken() {
        var web2Ledger = new SlotLedger();

        ActionResult first = steps("web1").lead(new LeadMigration("b", KEY));
        ActionResult second = new FleetSteps(store.coordinatorFor("web2"), "web2", web2Ledger, clock).lead(new LeadMigration("b", KEY));

        assertThat(first).isEqualTo(ActionResult.done("this host leads the migration " + KEY));
        assertThat(second).isInstanceOf(ActionResult.Done.class);
        assertThat(ledger.migrations().leads(KEY)).isTrue();
        assertThat(web2Ledger.migrations().leads(KEY)).isFalse();
        assertThat(web2Ledger.migrations().lostAt(KEY)).contains(T0);
        assertThat(store.migrationLeads).containsEntry(KEY, "web1");
    }

    @Test
    void theLeaderRunsTheReleasePhaseThenRecordsItsResultAndGivesUpTheLead() {
        steps("web1").lead(new LeadMigration("b", KEY));

        ActionResult result = steps("web1").migrate(MIGRATE, release(ActionResult.done("applied shop.0002")));

        assertThat(result).isEqualTo(ActionResult.done("applied shop.0002"));
        assertThat(released).containsExactly(MIGRATE);
        assertThat(store.migrationResults).containsEntry(KEY, new MigrationRun(KEY, "web1", true, "applied shop.0002", T0));
        assertThat(store.migrationLeads).doesNotContainKey(KEY);
        assertThat(ledger.migrations().unrecorded()).isEmpty();
    }

    @Test
    void aFailureOfTheMigrationsIsRecordedForTheFleetToo() {
        ActionResult failed = ActionResult.failedForGood("build b failed at step \"migrate shop.0002\": IntegrityError");

        ActionResult result = steps("web1").migrate(MIGRATE, release(failed));

        assertThat(result).isEqualTo(failed);
        assertThat(store.migrationResults.get(KEY)).returns(false, MigrationRun::succeeded)
                .returns("build b failed at step \"migrate shop.0002\": IntegrityError", MigrationRun::output);
    }

    @Test
    void aFailureWorthRetryingIsNotRecordedAndTheLeadStays() {
        ActionResult result = steps("web1").migrate(MIGRATE, release(ActionResult.failed("the database accepts no connection")));

        assertThat(result).isEqualTo(ActionResult.failed("the database accepts no connection"));
        assertThat(store.migrationResults).isEmpty();
        assertThat(store.migrationLeads).containsEntry(KEY, "web1");
    }

    @Test
    void aHostWhoseLeadPassedToAnotherRunsNothing() {
        store.migrationLeads.put(KEY, "web1");

        ActionResult result = executor("web2").apply(MIGRATE);

        assertThat(result).isInstanceOf(ActionResult.Failed.class).returns(true, r -> ((ActionResult.Failed) r).retryable());
        assertThat(ledger.migrations().lostAt(KEY)).contains(T0);
        assertThat(store.migrationResults).isEmpty();
    }

    @Test
    void anUnavailableStoreRunsNoMigration() {
        store.unavailable(true);

        ActionResult result = steps("web1").migrate(MIGRATE, release(ActionResult.done("applied")));

        assertThat(result).isEqualTo(ActionResult.failed("the fleet store is unavailable: no answer within 2 s"));
        assertThat(released).isEmpty();
    }

    @Test
    void aResultTheStoreDidNotTakeIsKeptAndRecordedLater() {
        ActionResult result = steps("web1").migrate(MIGRATE, a -> {
            store.unavailable(true);
            return ActionResult.done("applied shop.0002");
        });
        MigrationRun run = new MigrationRun(KEY, "web1", true, "applied shop.0002", T0);

        assertThat(result).isInstanceOf(ActionResult.Failed.class);
        assertThat(ledger.migrations().unrecorded()).containsExactly(run);
        store.unavailable(false);
        assertThat(executor("web1").apply(new RecordMigration(run))).isEqualTo(ActionResult.done("recorded"));
        assertThat(store.migrationResults).containsEntry(KEY, run);
        assertThat(ledger.migrations().unrecorded()).isEmpty();
    }

    @Test
    void aRecordedSuccessMarksTheBuildMigratedByTheLeaderWithoutMigrating() {
        madeB();
        var run = new MigrationRun(KEY, "web1", true, "applied shop.0002", T0.minusSeconds(5));

        ActionResult result = executor("web2").apply(new AdoptMigration("b", run));

        MigrationRecord record = MigrationRecord.read(new HostLayout(tmp), "b").orElseThrow();
        assertThat(result).isEqualTo(ActionResult.done("migrated by web1 at " + T0.minusSeconds(5)
                + "; no migration ran on this host"));
        assertThat(record).returns(MigrationRecord.State.MIGRATED, MigrationRecord::state)
                .returns(Optional.of("web1"), MigrationRecord::migratedBy)
                .returns("migrated by web1 at 2023-12-31T23:59:55Z", MigrationRecord::detail);
        assertThat(record.done()).isTrue();
    }

    @Test
    void aRecordedFailureMarksTheBuildFailedWithTheLeadersOutput() {
        madeB();
        var run = new MigrationRun(KEY, "web1", false, "exit code 1\nIntegrityError", T0);

        ActionResult result = executor("web2").apply(new AdoptMigration("b", run));

        var layout = new HostLayout(tmp);
        assertThat(result).isInstanceOf(ActionResult.Failed.class).returns(false, r -> ((ActionResult.Failed) r).retryable());
        assertThat(HostFiles.readJson(layout.marker("b", BuildFailure.KIND), BuildFailure.class)).get()
                .returns("migrate", BuildFailure::step)
                .returns("migrations of commit 0123456789ab failed on web1: exit code 1\nIntegrityError", BuildFailure::output);
        assertThat(MigrationRecord.read(layout, "b")).isEmpty();
    }
}
