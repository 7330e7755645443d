package dev.regent.apply;

import com.fasterxml.jackson.databind.JsonNode;
import dev.regent.docker.DockerPort.Container;
import dev.regent.docker.ExecResult;
import dev.regent.fs.HostFiles;
import dev.regent.fs.HostLayout;
import dev.regent.migrate.CheckResult;
import dev.regent.migrate.MigrationChecker;
import dev.regent.migrate.MigrationPlan;
import dev.regent.migrate.Violation;
import dev.regent.observe.BreakingMigration;
import dev.regent.observe.BuildFailure;
import dev.regent.observe.BuildRecord;
import dev.regent.observe.MigrationRecord;
import dev.regent.observe.MigrationRecord.State;
import dev.regent.plan.Action.LiveCheck;
import dev.regent.plan.Action.Migrate;
import dev.regent.safety.RoleHolders;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The release phase of one build: describe its pending migrations, record the plan, check it against
 * the build now live (refused: nothing runs), apply it with the lock and statement timeouts, prove
 * live still answers, mark the build migrated. A failure of the build's own migrations marks the
 * build failed ({@link BuildFailure}, step "migrate app.name"), which stops its processes and keeps
 * it from any role; live keeps serving. Nothing is ever unapplied.
 */
final class ReleasePhase {
    static final String HELPER = "conf/web/regent_migrations.py";
    private static final Duration DESCRIBE_TIMEOUT = Duration.ofSeconds(120);
    private final HostContext host;
    private final HostLayout layout;
    private final Probe probe;

    ReleasePhase(HostContext host, Probe probe) {
        this.host = host;
        this.layout = host.layout();
        this.probe = probe;
    }

    ActionResult run(Migrate a) {
        String build = a.build();
        Optional<BuildRecord> made = HostFiles.readJson(layout.build(build).resolve(BuildRecord.FILE), BuildRecord.class);
        if (made.isEmpty()) {
            return ActionResult.failed("build " + build + " has no regent-build.json to migrate");
        }
        var env = BuildEnvironment.of(layout, build, layout.build(build));
        ExecResult described = helper(env, "describe", Map.of(), DESCRIBE_TIMEOUT);
        Optional<JsonNode> json = lastJson(described);
        Optional<String> unavailable = unavailable(json);
        if (unavailable.isPresent()) {
            return ActionResult.failed(unavailable.get());
        }
        if (!described.ok() || json.isEmpty()) {
            return hostExcuse().map(ActionResult::failed).orElseGet(() -> fail(made.get(), "migrate (describe the plan)",
                    status(described) + "\n" + described.tail(20)));
        }
        MigrationPlan plan;
        try {
            plan = HostFiles.JSON.treeToValue(json.get(), MigrationPlan.class);
        } catch (IOException e) {
            return fail(made.get(), "migrate (describe the plan)", "unexpected answer: " + e.getMessage());
        }
        if (!plan.database()) {
            record(a, made.get(), State.SKIPPED, plan, List.of(), List.of(), Optional.empty(), "no database is configured");
            return ActionResult.done("no database configured, nothing to migrate");
        }
        CheckResult check = MigrationChecker.check(plan, a.settings().allow(), a.live().isPresent());
        record(a, made.get(), State.PLANNED, plan, check.refused(), check.allowedMigrations(), Optional.empty(),
                plan.plan().size() + " pending");
        if (!check.passes()) {
            String first = check.refused().get(0).migration();
            String why = "refused before any SQL ran: it would break the build now live\n"
                    + String.join("\n", check.refused().stream().map(Violation::describe).toList())
                    + "\nto apply it anyway, list it under spec.migrations.allow (builds that do not know it then"
                    + " become unsafe to roll back to)";
            record(a, made.get(), State.REFUSED, plan, check.refused(), check.allowedMigrations(), Optional.of(first), why);
            return fail(made.get(), "migrate " + first, why);
        }
        List<String> applied = List.of();
        if (!plan.plan().isEmpty()) {
            var settings = a.settings();
            // The exec outlives every statement it may run; the timeouts are PostgreSQL's, per statement.
            Duration limit = host.timeouts().step().plus(settings.statementTimeout());
            ExecResult result = helper(env, "apply", Map.of("PGOPTIONS", settings.pgOptions()), limit);
            Optional<JsonNode> outcome = lastJson(result);
            if (unavailable(outcome).isPresent()) {
                return ActionResult.failed(unavailable(outcome).get());
            }
            applied = outcome.map(o -> texts(o.path("applied"))).orElseGet(List::of);
            ledger(build, check, applied);
            if (!result.ok() || outcome.isEmpty() || outcome.get().has("failed")) {
                Optional<String> excuse = applied.isEmpty() ? hostExcuse() : Optional.empty();
                if (excuse.isPresent()) {
                    return ActionResult.failed(excuse.get());
                }
                String failed = outcome.map(o -> o.path("failed").asText("")).filter(f -> !f.isEmpty())
                        .orElse("(unknown migration)");
                String after = outcome.map(o -> o.path("seconds")).filter(JsonNode::isNumber)
                        .map(n -> " after " + n.asText() + " s").orElse("");
                String output = status(result) + after + (applied.isEmpty() ? "" : "; applied before it: " + applied) + "\n"
                        + outcome.map(o -> tail(o.path("error").asText(""), 20)).filter(t -> !t.isBlank())
                        .orElseGet(() -> result.tail(20));
                record(a, made.get(), State.FAILED, plan, List.of(), check.allowedMigrations(), Optional.of(failed), output);
                return fail(made.get(), "migrate " + failed, output);
            }
        }
        if (a.live().isPresent()) {
            Optional<String> broken = proveLive(a.live().get());
            if (broken.isPresent()) {
                String output = "live build " + a.live().get().build() + " no longer answers after the migrations "
                        + applied + ": " + broken.get() + " (nothing is unapplied; fix forward)";
                record(a, made.get(), State.FAILED, plan, List.of(), check.allowedMigrations(), Optional.empty(), output);
                return fail(made.get(), "migrate (prove live)", output);
            }
        }
        record(a, made.get(), State.MIGRATED, plan, List.of(), check.allowedMigrations(), Optional.empty(),
                "applied " + applied.size() + (a.live().map(l -> ", live build " + l.build() + " still answers").orElse("")));
        return ActionResult.done(applied.isEmpty() ? "no pending migrations" : "applied " + String.join(", ", applied));
    }

    private ExecResult helper(BuildEnvironment env, String verb, Map<String, String> extra, Duration timeout) {
        var variables = new java.util.LinkedHashMap<>(env.variables());
        variables.putAll(extra);
        return host.execIn("web", List.of(env.python(), HostLayout.CONTAINER_ROOT + "/" + HELPER, verb),
                Optional.of(env.folder() + "/app"), variables, timeout);
    }

    private Optional<String> proveLive(LiveCheck live) {
        String url = "http://127.0.0.1:" + live.port() + live.healthPath();
        Optional<Probe.Answer> answer = probe.get("web", url);
        if (answer.filter(x -> x.ok() && x.build().equals(live.build())).isEmpty()) {
            return Optional.of("GET " + url + " answered " + answer.map(x -> "HTTP " + x.status() + " from build '"
                    + x.build() + "'").orElse("nothing"));
        }
        return probe.warmUp(live.port(), live.healthPath()) == 0
                ? Optional.of("no warm-up request to " + live.healthPath() + " succeeded") : Optional.empty();
    }

    /** Opted-in breaking migrations that ran are kept host-wide: older builds become unsafe to roll back to. */
    private void ledger(String build, CheckResult check, List<String> applied) {
        var now = host.clock().instant();
        BreakingMigration.append(layout, check.allowedMigrations().stream().filter(applied::contains)
                .map(m -> new BreakingMigration(m, build, now)).toList());
    }

    private void record(Migrate a, BuildRecord made, State state, MigrationPlan plan, List<Violation> refused,
                        List<String> allowed, Optional<String> failed, String detail) {
        HostFiles.writeJson(layout.marker(made.name(), MigrationRecord.KIND), new MigrationRecord(made.name(), made.ref(),
                state, plan, refused, allowed, failed, detail, host.clock().instant()).withPrevious(previous(a)));
    }

    /**
     * The builds serving while this one migrates (live, and stage too: it serves people and its code
     * expects the old schema), which its contract step waits out.
     */
    private List<String> previous(Migrate a) {
        return RoleHolders.onDisk(layout).and(a.live().map(LiveCheck::build)).besides(a.build());
    }

    private ActionResult fail(BuildRecord made, String step, String output) {
        return markFailed(host, made, step, output);
    }

    /** Marks {@code made} failed at {@code step} of its release phase, for good: it takes no role until its ref changes. */
    static ActionResult markFailed(HostContext host, BuildRecord made, String step, String output) {
        HostFiles.writeJson(host.layout().marker(made.name(), BuildFailure.KIND),
                new BuildFailure(made.name(), made.ref(), step, output, host.clock().instant()));
        return ActionResult.failedForGood("build " + made.name() + " failed at step \"" + step
                + "\" and is marked failed; live keeps serving: " + output);
    }

    /** The web container stopped under the helper: not the build's fault, so it is tried again. */
    private Optional<String> hostExcuse() {
        boolean running = host.docker().find(host.project(), "web").map(Container::running).orElse(false);
        return running ? Optional.empty() : Optional.of("the web container stopped while the migrations were described or applied");
    }

    /** A database that accepts no connection is the host's problem: the build is not marked failed, it is tried again. */
    private static Optional<String> unavailable(Optional<JsonNode> json) {
        return json.filter(j -> j.has("unavailable")).map(j -> "the database accepts no connection, so the migrations"
                + " are tried again later (the build is not marked failed): " + j.path("unavailable").asText());
    }

    private static Optional<JsonNode> lastJson(ExecResult result) {
        List<String> lines = new ArrayList<>(result.output().strip().lines().toList());
        for (int i = lines.size() - 1; i >= 0; i--) {
            String line = lines.get(i).strip();
            if (line.startsWith("{")) {
                try {
                    return Optional.of(HostFiles.JSON.readTree(line));
                } catch (IOException e) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    private static List<String> texts(JsonNode array) {
        var out = new ArrayList<String>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static String status(ExecResult result) {
        return result.timedOut() ? "timed out" : "exit code " + result.exitCode();
    }

    private static String tail(String text, int lines) {
        List<String> all = text.strip().lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }
}
