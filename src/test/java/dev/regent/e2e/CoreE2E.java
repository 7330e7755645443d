package dev.regent.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The core story on one real stack, in order: fresh host to converged, add and stage a build from
 * another commit, swap and swap back, remove a build, a failing build step, a crash mid-plan.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CoreE2E {
    static Stack stack;
    static String firstCommit;
    static String secondCommit;

    static String desired(String builds, String live, String stage) {
        return Stack.desiredState(stack == null ? "PROJECT" : stack.project, builds, live, stage);
    }

    @BeforeAll
    static void start() throws Exception {
        stack = Stack.create(desired("    a: {ref: HEAD}\n    b: {ref: HEAD}\n", "a", "b"));
        firstCommit = stack.git("rev-parse", "HEAD").output().strip();
        stack.up();
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    @Order(1)
    void freshHostConverges() {
        assertThat(stack.get(stack.livePort, "/").status()).as("placeholder before any build").isEqualTo(200);

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
        assertThat(status.output()).contains("\"converged\" : true", "\"live\" : \"a\"", firstCommit);
    }

    @Test
    @Order(2)
    void aConvergedHostPlansNothing() {
        var plan = stack.regent("plan");
        assertThat(plan.output()).contains("Converged: nothing to do.");
    }

    @Test
    @Order(3)
    void addBuildFromAnotherCommitAndStageIt() throws Exception {
        String template = "examples/app/pages/templates/pages/index.html";
        stack.write(template, stack.read(template).replace("</h1>", " (second commit)</h1>"));
        secondCommit = stack.commitAll("change the page");
        String liveBefore = stack.fingerprintOf("a");
        stack.writeDesired(desired("    a: {ref: HEAD}\n    b: {ref: HEAD}\n    c: {ref: " + secondCommit + "}\n", "a", "c"));

        var apply = stack.regent("apply");

        assertThat(apply.exit()).as(apply.output()).isZero();
        assertThat(apply.output()).contains("create build c", "warm up build c", "link build c as stage")
                .doesNotContain("make build");
        assertThat(stack.get(stack.stagePort, "/").body()).contains("second commit");
        assertThat(stack.servedBy(stack.stagePort)).isEqualTo("c");
        assertThat(stack.servedBy(stack.livePort)).isEqualTo("a");
        assertThat(stack.fingerprintOf("a")).isEqualTo(liveBefore);
        assertThat(stack.regent("status", "-o", "json").output()).contains(secondCommit);
        assertThat(apply.output()).as("an incremental build").contains("shared with the live build");
        Path builds = stack.root.resolve("deploy/builds");
        assertThat(Files.isSameFile(builds.resolve("c/app/manage.py"), builds.resolve("a/app/manage.py")))
                .as("unchanged files are hard links to the live build's").isTrue();
        assertThat(Files.isSameFile(builds.resolve("c/app/pages/templates/pages/index.html"),
                builds.resolve("a/app/pages/templates/pages/index.html"))).as("a changed file is not linked").isFalse();
    }

    @Test
    @Order(4)
    void swapAndSwapBack() {
        String builds = "    a: {ref: HEAD}\n    b: {ref: HEAD}\n    c: {ref: " + secondCommit + "}\n";
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
    @Order(5)
    void removingABuildStopsOnlyIt() {
        String before = stack.fingerprintOf("a") + stack.fingerprintOf("c");
        stack.writeDesired(desired("    a: {ref: HEAD}\n    c: {ref: " + secondCommit + "}\n", "a", "c"));

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
    @Order(6)
    void failingBuildStepIsReportedAndNothingServingMoves() {
        String settings = "examples/app/mysite/settings.py";
        String good = stack.read(settings);
        stack.write(settings, good + "\n)\n");
        String broken = stack.commitAll("break the settings");
        stack.write(settings, good);
        stack.commitAll("mend the settings");
        String before = stack.fingerprint();
        stack.writeDesired(desired("    a: {ref: HEAD}\n    c: {ref: " + secondCommit + "}\n    d: {ref: " + broken + "}\n", "a", "d"));

        var apply = stack.regent("apply");

        assertThat(apply.exit()).as(apply.output()).isEqualTo(1);
        assertThat(apply.output()).contains("build d failed at step \"collectstatic\"", "SyntaxError");
        assertThat(stack.servedBy(stack.livePort)).isEqualTo("a");
        assertThat(stack.servedBy(stack.stagePort)).isEqualTo("c");
        assertThat(stack.fingerprint()).isEqualTo(before);
        var status = stack.regent("status");
        assertThat(status.exit()).isEqualTo(1);
        assertThat(status.output()).contains("failed at step \"collectstatic\"", "SyntaxError");
        var again = stack.regent("apply");
        assertThat(again.exit()).isEqualTo(1);
        assertThat(again.output()).as("a failed build is not retried").doesNotContain("create build d")
                .contains("build d failed at step");
    }

    @Test
    @Order(7)
    void operatorKilledMidPlanIsFinishedByTheNextRun() throws Exception {
        stack.writeDesired(desired("    a: {ref: HEAD}\n    c: {ref: " + secondCommit + "}\n    e: {ref: HEAD}\n", "a", "e"));
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
        assertThat(stack.root.resolve("deploy/builds/d")).as("the failed build left no folder").doesNotExist();
    }

    @Test
    @Order(8)
    void theSeedsReloadStrategyStillPromotesAndSwitchingBackIsReloadFree() {
        String builds = "    a: {ref: HEAD}\n    c: {ref: " + secondCommit + "}\n    e: {ref: HEAD}\n";
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
