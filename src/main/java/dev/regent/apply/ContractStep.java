package dev.regent.apply;

import dev.regent.docker.DockerPort.Container;
import dev.regent.docker.ExecResult;
import dev.regent.fs.HostFiles;
import dev.regent.fs.HostLayout;
import dev.regent.observe.MigrationRecord;
import dev.regent.observe.PostMigrateRun;
import dev.regent.observe.PostMigrateRun.Status;
import dev.regent.observe.RoleFiles;
import dev.regent.plan.Action.PostMigrate;
import dev.regent.safety.RoleHolders;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs the live build's contract step (spec.migrations.postMigrate) at most once per argument list:
 * from the build's folder, with its environment and the migration timeouts (PGOPTIONS). RUNNING is
 * recorded before it starts, so a crash mid-step never starts it twice. Its failure is recorded and
 * reported as done: it never marks the build failed and holds back no other action.
 */
final class ContractStep {
    private final HostContext host;
    private final HostLayout layout;

    ContractStep(HostContext host) {
        this.host = host;
        this.layout = host.layout();
    }

    ActionResult run(PostMigrate a) {
        String build = a.build();
        List<String> command = a.settings().postMigrate();
        Optional<MigrationRecord> record = MigrationRecord.read(layout, build)
                .filter(m -> m.state() == MigrationRecord.State.MIGRATED);
        if (record.isEmpty()) {
            return ActionResult.failed("build " + build + " has no migrated record to run its contract step for");
        }
        if (record.get().postMigrate().filter(p -> p.settles(command)).isPresent()) {
            return ActionResult.done("the contract step of build " + build + " already ran");
        }
        Optional<String> refusal = refusal(record.get());
        if (refusal.isPresent()) {
            return ActionResult.failed("the contract step of build " + build + " waits: " + refusal.get());
        }
        write(record.get(), new PostMigrateRun(command, Status.RUNNING, "", host.clock().instant()));
        var env = BuildEnvironment.of(layout, build, layout.build(build));
        var variables = new java.util.LinkedHashMap<>(env.variables());
        variables.put("PGOPTIONS", a.settings().pgOptions());
        Duration limit = host.timeouts().step().plus(a.settings().statementTimeout());
        ExecResult result;
        try {
            result = host.execIn("web", command, Optional.of(env.folder()), Map.copyOf(variables), limit);
        } catch (IllegalStateException e) {
            result = new ExecResult(-1, e.getMessage(), false);
        }
        boolean stopped = !result.ok() && !webRunning();
        String output = (result.ok() ? "exit code 0" : stopped ? "the web container stopped while it ran"
                : result.timedOut() ? "timed out" : "exit code " + result.exitCode()) + "\n" + result.tail(20);
        write(record.get(), new PostMigrateRun(command, result.ok() ? Status.SUCCEEDED : Status.FAILED, output,
                host.clock().instant()));
        return ActionResult.done(result.ok() ? "contract step succeeded"
                : "contract step failed (recorded, shown by regent status; nothing else is held back): "
                + output.lines().findFirst().orElse(""));
    }

    /** Why the step may not run now, by the role files as they are now: the build is not live, or one it waits out holds a role. */
    private Optional<String> refusal(MigrationRecord record) {
        if (!RoleFiles.read(layout).live().equals(Optional.of(record.build()))) {
            return Optional.of("build " + record.build() + " is not live");
        }
        RoleHolders holders = RoleHolders.onDisk(layout);
        if (!holders.unreadable().isEmpty()) {
            return Optional.of("could not read " + String.join(", ", holders.unreadable()));
        }
        return holders.builds().stream().filter(record::waitsFor).findFirst()
                .map(b -> "build " + b + ", which served while build " + record.build() + " migrated, still holds a role");
    }

    private void write(MigrationRecord record, PostMigrateRun run) {
        HostFiles.writeJson(layout.marker(record.build(), MigrationRecord.KIND), record.withPostMigrate(run));
    }

    private boolean webRunning() {
        return host.docker().find(host.project(), "web").map(Container::running).orElse(false);
    }
}
