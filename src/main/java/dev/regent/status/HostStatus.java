package dev.regent.status;

import dev.regent.gitops.SyncStatus;
import dev.regent.observe.BuildFailure;
import dev.regent.observe.BuildRecord;
import dev.regent.observe.MigrationRecord;
import dev.regent.observe.PostMigrateRun;
import dev.regent.migrate.Violation;
import dev.regent.safety.RollbackSafety;
import dev.regent.observe.ObservedBuild;
import dev.regent.observe.ObservedHost;
import dev.regent.plan.Action;
import dev.regent.plan.BlockReason;
import dev.regent.plan.Plan;
import dev.regent.spec.BuildSpec;
import dev.regent.spec.DesiredState;
import dev.regent.uwsgi.StatsReader.UwsgiStats;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/** What `regent status` shows: desired against observed, per build, and what is left to do. */
public record HostStatus(
        boolean converged,
        Optional<String> live,
        Optional<String> stage,
        Optional<String> desiredLive,
        Optional<String> desiredStage,
        List<Build> builds,
        List<String> plan,
        List<BlockReason> blocked,
        List<String> errors,
        Optional<SyncStatus> sync,
        Optional<SiteStatus> site) {

    public record Build(String name, boolean listed, boolean active, List<String> roles, Optional<String> ref,
                        Optional<String> commit, Optional<String> deployTag, String vassal, String pool,
                        int workers, int accepting, long requests, boolean healthy,
                        Optional<BuildFailure> failure, List<Worker> workerList, Optional<Migration> migration,
                        boolean rollbackSafe, Optional<String> rollbackUnsafeBecause) {
    }

    /**
     * A build's release phase: its state (PLANNED, REFUSED, FAILED, MIGRATED, SKIPPED), the pending
     * plan it recorded, what the checker refused, the opted-in breaking migrations, and when;
     * {@code previous}, the builds that served while it migrated, and its contract step's outcome.
     */
    public record Migration(MigrationRecord.State state, List<String> plan, List<String> refused,
                            List<String> allowedBreaking, Optional<String> failedMigration, String detail,
                            java.time.Instant at, Optional<List<String>> previous, Optional<PostMigrateRun> postMigrate) {
        static Optional<Migration> of(Optional<MigrationRecord> record) {
            return record.map(r -> new Migration(r.state(), r.plan().pendingIds(),
                    r.refused().stream().map(Violation::describe).toList(), r.allowedBreaking(), r.failedMigration(),
                    r.detail(), r.at(), r.previous(), r.postMigrate()));
        }
    }

    /** One worker of a build's pool, from its stats socket. */
    public record Worker(int id, int pid, String status, long requests, long rss, long avgRt) {
        static List<Worker> of(Optional<UwsgiStats> pool) {
            var list = new ArrayList<Worker>();
            pool.ifPresent(p -> p.raw().path("workers").forEach(w -> list.add(new Worker(w.path("id").asInt(),
                    w.path("pid").asInt(), w.path("status").asText(), w.path("requests").asLong(), w.path("rss").asLong(),
                    w.path("avg_rt").asLong()))));
            return list;
        }
    }

    /** {@code now}: what the certificate's days left count from. */
    public static HostStatus of(DesiredState desired, ObservedHost observed, Plan plan, Optional<SyncStatus> sync,
                                Instant now) {
        var names = new LinkedHashSet<String>(desired.builds().keySet());
        names.addAll(observed.builds().keySet());
        var builds = new ArrayList<Build>();
        for (String name : names) {
            Optional<BuildSpec> spec = Optional.ofNullable(desired.builds().get(name));
            ObservedBuild found = observed.build(name);
            var roles = new ArrayList<String>();
            observed.live().filter(name::equals).ifPresent(x -> roles.add("live"));
            observed.stage().filter(name::equals).ifPresent(x -> roles.add("stage"));
            builds.add(new Build(name, spec.isPresent(), spec.map(BuildSpec::active).orElse(false), roles,
                    found.record().map(BuildRecord::ref).or(() -> spec.map(BuildSpec::ref)),
                    found.record().map(BuildRecord::commit),
                    found.record().map(BuildRecord::deployTag),
                    process(found.vassalLinked(), found.vassal()),
                    process(found.poolLinked(), found.pool()),
                    found.pool().map(UwsgiStats::workers).orElse(0),
                    found.pool().map(UwsgiStats::accepting).orElse(0),
                    found.pool().map(UwsgiStats::requests).orElse(0L),
                    found.healthy(), found.failure(), Worker.of(found.pool()), Migration.of(found.migration()),
                    rollbackUnsafe(found, observed).isEmpty(), rollbackUnsafe(found, observed)));
        }
        return new HostStatus(plan.converged(), observed.live(), observed.stage(), desired.live(), desired.stage(),
                builds, plan.actions().stream().map(Action::describe).toList(), plan.blocked(),
                plan.errors().stream().map(Object::toString).toList(), sync,
                SiteStatus.of(desired.site(), observed.certificate(), now));
    }

    private static Optional<String> rollbackUnsafe(ObservedBuild found, ObservedHost observed) {
        return RollbackSafety.unsafe(found.migration(), observed.breaking());
    }

    private static String process(boolean linked, Optional<UwsgiStats> stats) {
        if (stats.isPresent()) {
            return linked ? "running" : "stopping";
        }
        return linked ? "starting" : "stopped";
    }
}
