package dev.regent.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The core story on one real stack shared by the tests, each of which first converges the host to
 * the state it needs: fresh host to converged, add and stage a build from another commit, swap and
 * swap back, remove a build, a failing build step, a crash mid-plan, the reload strategy. Builds
 * are pinned to commits made up front, so any test can list any build in any order.
 */
class CoreE2E {
    static Stack stack;
    static Commits commits;

    /** The commits of the sample repository: a and b are built from first, c from second, d from broken, e from mended. */
    record Commits(String first, String second, String broken, String mended) {
        String a() {
            return "    a: {ref: " + first + "}\n";
        }

        String b() {
            return "    b: {ref: " + first + "}\n";
        }

        String c() {
            return "    c: {ref: " + second + "}\n";
        }

        String d() {
            return "    d: {ref: " + broken + "}\n";
        }

        String e() {
            return "    e: {ref: " + mended + "}\n";
        }
    }

    static String desired(String builds, String live, String stage) {
        return desired(stack, builds, live, stage);
    }

    static String desired(Stack on, String builds, String live, String stage) {
        return Stack.desiredState(on.project, builds, live, stage);
    }

    /** A stack with the commits in its repository. */
    record Sample(Stack stack, Commits commits) implements AutoCloseable {
        @Override
        public void close() {
            stack.close();
        }
    }

    @BeforeAll
    static void start() throws Exception {
        var sample = sampleStack();
        stack = sample.stack();
        commits = sample.commits();
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    /** A started stack, nothing built, whose repository holds the four commits and whose file lists a (live) and b (stage). */
    static Sample sampleStack() throws Exception {
        Stack created = Stack.create(Stack.desiredState("PROJECT", "", "a", "b"));
        try {
            String first = created.git("rev-parse", "HEAD").output().strip();
            String template = "examples/app/pages/templates/pages/index.html";
            created.write(template, created.read(template).replace("</h1>", " (second commit)</h1>"));
            String second = created.commitAll("change the page");
            String settings = "examples/app/mysite/settings.py";
            String good = created.read(settings);
            created.write(settings, good + "\n)\n");
            String broken = created.commitAll("break the settings");
            created.write(settings, good);
            String mended = created.commitAll("mend the settings");
            var made = new Commits(first, second, broken, mended);
            created.writeDesired(desired(created, made.a() + made.b(), "a", "b"));
            created.up();
            return new Sample(created, made);
        } catch (Exception | Error e) {
            created.close();
            throw e;
        }
    }

    /** On the shared stack if nothing was built on it yet, else on a stack of its own. */
    @Test
    void freshHostConverges() throws Exception {
        if (stack.fingerprint().isEmpty()) {
            freshHostConverges(stack, commits);
        } else {
            try (Sample own = sampleStack()) {
                freshHostConverges(own.stack(), own.commits());
            }
        }
    }

    private static void freshHostConverges(Stack stack, Commits commits) {
        assertThat(stack.fingerprint()).as("nothing built yet").isEmpty();
        stack.writeDesired(desired(stack, commits.a() + commits.b(), "a", "b"));
        // nginx may still be binding its ports just after `compose up` returned on a busy machine.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(stack.get(stack.livePort, "/").status()).as("placeholder before any build").isEqualTo(200));

        var apply = stack.regent("apply");

        assertThat(apply.exit()).as(apply.output()).isZero();
        assertThat(apply.output()).contains("create build a", "make build a live", "link build b as stage", "Converged");
        var live = stack.get(stack.livePort, "/");
        assertThat(live.build()).isEqualTo("a");
        assertThat(live.body()).contains("Served by build");
        assertThat(stack.servedBy(stack.stagePort)).isEqualTo("b");
        assertThat(stack.get(stack.livePort, "/static/a/regent-demo.css").status()).isEqualTo(200);
        var status = stack.regent("status", "-o", "json");
        assertThat(status.exit()).as(status.output()).isZero();
        assertThat(status.output()).contains("\"converged\" : true", "\"live\" : \"a\"", commits.first());
    }

    @Test
    void aConvergedHostPlansNothing() {
        stack.converge(desired(commits.a() + commits.b(), "a", "b"));

        var plan = stack.regent("plan");
        assertThat(plan.output()).contains("Converged: nothing to do.");
    }

    @Test
    void addBuildFromAnotherCommitAndStageIt() throws Exception {
        stack.converge(desired(commits.a() + commits.b(), "a", "b"));
        String liveBefore = stack.fingerprintOf("a");
        stack.writeDesired(desired(commits.a() + commits.b() + commits.c(), "a", "c"));

        var apply = stack.regent("apply");

        assertThat(apply.exit()).as(apply.output()).isZero();
        assertThat(apply.output()).contains("create build c", "warm up build c", "link build c as stage")
                .doesNotContain("make build");
        assertThat(stack.get(stack.stagePort, "/").body()).contains("second commit");
        assertThat(stack.servedBy(stack.stagePort)).isEqualTo("c");
        assertThat(stack.servedBy(stack.livePort)).isEqualTo("a");
        assertThat(stack.fingerprintOf("a")).isEqualTo(liveBefore);
        assertThat(stack.regent("status", "-o", "json").output()).contains(commits.second());
        assertThat(apply.output()).as("an incremental build").contains("shared with the live build");
        Path builds = stack.root.resolve("deploy/builds");
        assertThat(Files.isSameFile(builds.resolve("c/app/manage.py"), builds.resolve("a/app/manage.py")))
                .as("unchanged files are hard links to the live build's").isTrue();
        assertThat(Files.isSameFile(builds.resolve("c/app/pages/templates/pages/index.html"),
                builds.resolve("a/app/pages/templates/pages/index.html"))).as("a changed file is not linked").isFalse();
    }

    @Test
    void swapAndSwapBack() {
        String builds = commits.a() + commits.b() + commits.c();
        stack.converge(desired(builds, "a", "c"));
        stack.writeDesired(desired(builds, "c", "a"));
        var swap = stack.regent("apply");
        assertThat(swap.exit()).as(swap.output()).isZero();
        assertThat(stack.servedBy(stack.livePort)).isEqualTo("c");
        assertThat(stack.servedBy(stack.stagePort)).isEqualTo("a");
        assertThat(swap.output()).doesNotContain("stop the", "create build");

        stack.writeDesired(desired(builds, "a", "c"));
        var back = stack.regent("apply");
        assertThat(back.exit()).as(back.output()).isZero();
        assertThat(stack.servedBy(stack.livePort)).isEqualTo("a");
        assertThat(stack.servedBy(stack.stagePort)).isEqualTo("c");
    }

    @Test
    void removingABuildStopsOnlyIt() {
        stack.converge(desired(commits.a() + commits.b() + commits.c(), "a", "c"));
        String before = stack.fingerprintOf("a") + stack.fingerprintOf("c");
        stack.writeDesired(desired(commits.a() + commits.c(), "a", "c"));

        var apply = stack.regent("apply");

        assertThat(apply.exit()).as(apply.output()).isZero();
        assertThat(apply.output()).contains("stop the worker pool of build b", "stop the vassal of build b", "remove build b")
                .doesNotContain("make build", "as stage");
        assertThat(stack.root.resolve("deploy/builds/b")).doesNotExist();
        assertThat(stack.root.resolve("deploy/assets/static/b")).doesNotExist();
        var probe = stack.exec("web", "curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "http://127.0.0.1:2010/");
        assertThat(probe.output()).as("build b's router no longer listens").isEqualTo("000");
        assertThat(stack.fingerprintOf("a") + stack.fingerprintOf("c")).isEqualTo(before);
        assertThat(stack.servedBy(stack.livePort)).isEqualTo("a");
        assertThat(stack.servedBy(stack.stagePort)).isEqualTo("c");
    }

    @Test
    void failingBuildStepIsReportedAndNothingServingMoves() {
        stack.converge(desired(commits.a() + commits.c(), "a", "c"));
        String before = stack.fingerprint();
        stack.writeDesired(desired(commits.a() + commits.c() + commits.d(), "a", "d"));

        var apply = stack.regent("apply");

        assertThat(apply.exit()).as(apply.output()).isEqualTo(1);
        assertThat(apply.output()).contains("build d failed at step \"collectstatic\"", "SyntaxError");
        assertThat(stack.servedBy(stack.livePort)).isEqualTo("a");
        assertThat(stack.servedBy(stack.stagePort)).isEqualTo("c");
        assertThat(stack.fingerprint()).isEqualTo(before);
        assertThat(stack.root.resolve("deploy/builds/d")).as("the failed build left no folder").doesNotExist();
        var status = stack.regent("status");
        assertThat(status.exit()).isEqualTo(1);
        assertThat(status.output()).contains("failed at step \"collectstatic\"", "SyntaxError");
        var again = stack.regent("apply");
        assertThat(again.exit()).isEqualTo(1);
        assertThat(again.output()).as("a failed build is not retried").doesNotContain("create build d")
                .contains("build d failed at step");
    }

    @Test
    void operatorKilledMidPlanIsFinishedByTheNextRun() throws Exception {
        stack.converge(desired(commits.a() + commits.c(), "a", "c"));
        stack.writeDesired(desired(commits.a() + commits.c() + commits.e(), "a", "e"));
        Path log = Files.createTempFile("regent-kill", ".log");
        Process apply = stack.startRegent(log, "apply");
        await().atMost(Duration.ofMinutes(3)).until(() -> Files.readString(log).contains("link the worker pool of build e"));
        apply.destroyForcibly().waitFor();
        assertThat(stack.servedBy(stack.stagePort)).isEqualTo("c");

        var resumed = stack.regent("apply");

        assertThat(resumed.exit()).as(resumed.output()).isZero();
        assertThat(resumed.output()).doesNotContain("create build e").contains("link build e as stage");
        assertThat(stack.servedBy(stack.stagePort)).isEqualTo("e");
        assertThat(stack.servedBy(stack.livePort)).isEqualTo("a");
    }

    @Test
    void theSeedsReloadStrategyStillPromotesAndSwitchingBackIsReloadFree() {
        String builds = commits.a() + commits.c() + commits.e();
        stack.converge(desired(builds, "a", "e"));
        stack.writeDesired(desired(builds, "e", "a").replace("  builds:", "  strategy: reload\n  builds:"));
        var reload = stack.regent("apply");
        assertThat(reload.exit()).as(reload.output()).isZero();
        assertThat(reload.output()).contains("write the nginx includes of build e", "reload nginx");
        assertThat(stack.servedBy(stack.livePort)).isEqualTo("e");
        assertThat(stack.read("deploy/builds/e/live.conf")).contains("web:2040");

        stack.writeDesired(desired(builds, "a", "e"));
        var back = stack.regent("apply");
        assertThat(back.exit()).as(back.output()).isZero();
        assertThat(stack.servedBy(stack.livePort)).isEqualTo("a");
        assertThat(stack.read("deploy/builds/a/live.conf")).contains("_live/router.sock");

        stack.writeDesired(desired(builds, "e", "a"));
        var socketSwap = stack.regent("apply");
        assertThat(socketSwap.exit()).as(socketSwap.output()).isZero();
        assertThat(socketSwap.output()).as("a socket promotion reloads nothing").doesNotContain("reload nginx")
                .contains("nginx serves it");
        assertThat(stack.servedBy(stack.livePort)).isEqualTo("e");
    }
}
