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
    static final String HEADER = """
            apiVersion: regent/v1
            kind: Host
            metadata:
              name: PROJECT
            spec:
              source: {repo: ., path: examples/app}
              builds:
            """;
    static Stack stack;
    static String firstCommit;
    static String secondCommit;

    @BeforeAll
    static void start() throws Exception {
        stack = Stack.create(HEADER + """
                    a: {ref: HEAD}
                    b: {ref: HEAD}
                  live: a
                  stage: b
                """);
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
        assertThat(live.body()).contains("build a");
        assertThat(stack.servedBy(stack.stagePort)).isEqualTo("b");
        assertThat(stack.get(stack.livePort, "/static/a/regent-demo.css").status()).isEqualTo(200);
        var status = stack.regent("status", "-o", "json");
        assertThat(status.exit()).as(status.output()).isZero();
        assertThat(status.output()).contains("\"converged\" : true", "\"live\" : \"a\"", firstCommit);
    }

    @Test
    @Order(2)
    void secondApplyDoesNothing() {
        var plan = stack.regent("plan");
        assertThat(plan.output()).contains("Converged: nothing to do.");
    }

    @Test
    @Order(3)
    void addBuildFromAnotherCommitAndStageIt() {
        String template = "examples/app/demo/templates/demo/index.html";
        stack.write(template, stack.read(template).replace("</h1>", " (second commit)</h1>"));
        secondCommit = stack.commitAll("change the page");
        String liveBefore = stack.fingerprintOf("a");
        stack.writeDesired(HEADER.replace("PROJECT", stack.project) + """
                    a: {ref: HEAD}
                    b: {ref: HEAD}
                    c: {ref: %s}
                  live: a
                  stage: c
                """.formatted(secondCommit));

        var apply = stack.regent("apply");

        assertThat(apply.exit()).as(apply.output()).isZero();
        assertThat(apply.output()).contains("create build c", "warm up build c", "link build c as stage")
                .doesNotContain("make build", "build a live");
        assertThat(stack.get(stack.stagePort, "/").body()).contains("second commit");
        assertThat(stack.servedBy(stack.stagePort)).isEqualTo("c");
        assertThat(stack.servedBy(stack.livePort)).isEqualTo("a");
        assertThat(stack.fingerprintOf("a")).isEqualTo(liveBefore);
        assertThat(stack.regent("status", "-o", "json").output()).contains(secondCommit);
    }

    @Test
    @Order(4)
    void swapAndSwapBack() {
        stack.writeDesired(stack.desired().replace("live: a", "live: c").replace("stage: c", "stage: a"));
        var swap = stack.regent("apply");
        assertThat(swap.exit()).as(swap.output()).isZero();
        assertThat(stack.servedBy(stack.livePort)).isEqualTo("c");
        assertThat(stack.servedBy(stack.stagePort)).isEqualTo("a");
        assertThat(swap.output()).doesNotContain("stop the worker pool");

        stack.writeDesired(stack.desired().replace("live: c", "live: a").replace("stage: a", "stage: c"));
        var back = stack.regent("apply");
        assertThat(back.exit()).as(back.output()).isZero();
        assertThat(stack.servedBy(stack.livePort)).isEqualTo("a");
        assertThat(stack.servedBy(stack.stagePort)).isEqualTo("c");
    }

    @Test
    @Order(5)
    void removingABuildStopsOnlyIt() {
        stack.writeDesired(stack.desired().replace("    b: {ref: HEAD}\n", ""));
        var apply = stack.regent("apply");
        assertThat(apply.exit()).as(apply.output()).isZero();
        assertThat(apply.output()).contains("stop the worker pool of build b", "stop the vassal of build b", "remove build b")
                .doesNotContain("build a live", "as stage");
        assertThat(stack.root.resolve("deploy/builds/b")).doesNotExist();
        assertThat(stack.root.resolve("deploy/run/b-pool.stats")).satisfies(p ->
                assertThat(stack.exec("web", "python3", "-c",
                        "import socket;s=socket.socket(socket.AF_UNIX);s.connect('/code/deploy/run/b-pool.stats')").exit())
                        .isNotZero());
        assertThat(stack.servedBy(stack.livePort)).isEqualTo("a");
        assertThat(stack.servedBy(stack.stagePort)).isEqualTo("c");
    }

    @Test
    @Order(6)
    void failingBuildStepIsReportedAndNothingServingMoves() {
        stack.write("examples/app/demo/settings.py", stack.read("examples/app/demo/settings.py") + "\nthis is not python\n");
        String broken = stack.commitAll("break the settings");
        String before = stack.fingerprint();
        stack.writeDesired(stack.desired().replace("  live: a", "    d: {ref: " + broken + "}\n  live: a")
                .replace("stage: c", "stage: d"));

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
        assertThat(again.output()).as("a failed build is not retried").doesNotContain("create build d");

        stack.git("revert", "--no-edit", "HEAD");
        stack.writeDesired(stack.desired().replace("    d: {ref: " + broken + "}\n", "").replace("stage: d", "stage: c"));
        assertThat(stack.regent("apply").exit()).isZero();
    }

    @Test
    @Order(7)
    void operatorKilledMidPlanIsFinishedByTheNextRun() throws Exception {
        stack.writeDesired(stack.desired().replace("  live: a", "    e: {ref: HEAD}\n  live: a").replace("stage: c", "stage: e"));
        Path log = Files.createTempFile("regent-kill", ".log");
        Process apply = stack.startRegent(log, "apply");
        await().atMost(Duration.ofMinutes(3)).until(() -> Files.readString(log).contains("link the worker pool of build e"));
        apply.destroyForcibly().waitFor();
        assertThat(stack.servedBy(stack.stagePort)).isEqualTo("c");

        var resumed = stack.regent("apply");

        assertThat(resumed.exit()).as(resumed.output()).isZero();
        assertThat(resumed.output()).doesNotContain("create build e");
        assertThat(stack.servedBy(stack.stagePort)).isEqualTo("e");
        assertThat(stack.servedBy(stack.livePort)).isEqualTo("a");
    }
}
