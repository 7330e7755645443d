package dev.regent.apply;

import dev.regent.fleet.MigrationRun;
import dev.regent.fs.HostFiles;
import dev.regent.fs.HostLayout;
import dev.regent.migrate.MigrationPlan;
import dev.regent.observe.BuildRecord;
import dev.regent.observe.MigrationRecord;
import dev.regent.plan.Action.AdoptMigration;
import dev.regent.safety.RoleHolders;
import java.util.List;
import java.util.Optional;

/**
 * A fleet's migration another host ran, taken over by this host without running any: a success marks
 * the build migrated by that host (its record names it, with an empty plan: this host applied nothing),
 * so the build may take its role; a failure marks the build failed with the leader's output, as a
 * failure of its own release phase would.
 */
final class MigrationAdoption {
    private final HostContext host;
    private final HostLayout layout;

    MigrationAdoption(HostContext host) {
        this.host = host;
        this.layout = host.layout();
    }

    ActionResult adopt(AdoptMigration a) {
        String build = a.build();
        Optional<BuildRecord> made = HostFiles.readJson(layout.build(build).resolve(BuildRecord.FILE), BuildRecord.class);
        if (made.isEmpty()) {
            return ActionResult.failed("build " + build + " has no regent-build.json to mark migrated");
        }
        MigrationRun run = a.run();
        if (run.succeeded()) {
            String detail = "migrated by " + run.host() + " at " + run.at();
            HostFiles.writeJson(layout.marker(build, MigrationRecord.KIND), new MigrationRecord(build, made.get().ref(),
                    MigrationRecord.State.MIGRATED, new MigrationPlan(true, List.of(), List.of(), List.of()), List.of(),
                    List.of(), Optional.empty(), detail, host.clock().instant(), Optional.of(RoleHolders.onDisk(layout).besides(build)),
                    Optional.empty(), Optional.of(run.host())));
            return ActionResult.done(detail + "; no migration ran on this host");
        }
        return ReleasePhase.markFailed(host, made.get(), "migrate",
                "migrations of commit " + commit(run) + " failed on " + run.host() + ": " + run.output());
    }

    private static String commit(MigrationRun run) {
        String sha = run.revision().replaceFirst("^migrate-", "");
        return sha.substring(0, Math.min(12, sha.length()));
    }
}
