package dev.regent.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.regent.uwsgi.StatsReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * On one real converged stack: bad desired states are rejected with file, line and field and
 * change nothing; the seed's verbs edit the file and converge; a project fresh from
 * django-admin startproject is served unchanged; the run loop repairs drift and keeps the last
 * good state when the file turns invalid. Each test first converges the shared stack on the
 * good file (live a, stage b).
 */
class HostE2E {
    static final String GOOD = """
            # The sample host: a comment the verbs must keep.
            apiVersion: regent/v1
            kind: Host
            metadata:
              name: PROJECT
            spec:
              source: {repo: ., path: examples/app}
              builds:
                a: {ref: HEAD}   # first build
                b: {ref: HEAD}
              live: a
              stage: b
            """;
    static Stack stack;

    @BeforeAll
    static void start() throws Exception {
        stack = Stack.create(GOOD);
        stack.up();
        var apply = stack.regent("apply");
        assertThat(apply.exit()).as(apply.output()).isZero();
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    static String good() {
        return GOOD.replace("PROJECT", stack.project);
    }

    static void convergedGood() {
        stack.converge(good());
    }

    static Stream<Arguments> badStates() {
        return Stream.of(
                Arguments.of("invalid YAML left open to the end, shown where it opened", "spec:\n  builds: [a\n", ":2:11:", "invalid YAML"),
                Arguments.of("unknown field", "GOOD\n  bulds: {}\n", ":13:", "spec.bulds"),
                Arguments.of("live == stage", "GOOD", ":12:", "spec.stage"),
                Arguments.of("live names an unlisted build", "GOOD:live: a=live: x", ":11:", "spec.live"),
                Arguments.of("live names an inactive build", "GOOD:a: {ref: HEAD}=a: {ref: HEAD, active: false}", ":11:", "spec.live"),
                Arguments.of("a name with a path", "GOOD:b: {ref: HEAD}=../x: {ref: HEAD}", ":10:", "spec.builds"),
                Arguments.of("a name like _live", "GOOD:b: {ref: HEAD}=_live: {ref: HEAD}", ":10:", "spec.builds"),
                Arguments.of("a changed ref for a built build", "GOOD:b: {ref: HEAD}=b: {ref: main}", ":10:", "spec.builds.b.ref"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badStates")
    void badDesiredStateIsRejectedAndChangesNothing(String title, String recipe, String line, String field) {
        convergedGood();
        String before = stack.fingerprint();
        stack.writeDesired(bad(recipe));
        try {
            var apply = stack.regent("apply");
            assertThat(apply.exit()).as(apply.output()).isEqualTo(2);
            assertThat(apply.output()).contains("desired-state.yaml" + line).contains(field);
            assertThat(stack.fingerprint()).isEqualTo(before);
            assertThat(stack.servedBy(stack.livePort)).isEqualTo("a");
        } finally {
            stack.writeDesired(good());
        }
    }

    /** "GOOD" is the good file; "GOOD:x=y" replaces x by y in it; "GOOD\n..." appends. */
    private static String bad(String recipe) {
        if (recipe.equals("GOOD")) {
            return good().replace("stage: b", "stage: a");
        }
        if (recipe.startsWith("GOOD:")) {
            String[] swap = recipe.substring(5).split("=", 2);
            return good().replace(swap[0], swap[1]);
        }
        if (recipe.startsWith("GOOD\n")) {
            return good() + recipe.substring(5);
        }
        return recipe;
    }

    @Test
    void seedVerbsEditTheFileKeepingCommentsAndConverge() {
        convergedGood();
        var stage = stack.regent("stage", "a");
        assertThat(stage.exit()).as("cannot stage the live build").isEqualTo(1);
        assertThat(stage.output()).contains("live");

        var swap = stack.regent("swap-live");

        assertThat(swap.exit()).as(swap.output()).isZero();
        assertThat(stack.desired()).contains("# The sample host: a comment the verbs must keep.", "# first build",
                "live: b", "stage: a");
        assertThat(stack.servedBy(stack.livePort)).isEqualTo("b");
        assertThat(stack.servedBy(stack.stagePort)).isEqualTo("a");
        assertThat(stack.regent("rm", "b").exit()).as("cannot remove the live build").isEqualTo(1);
        var free = stack.regent("find-free-build");
        assertThat(free.output().strip().lines().reduce((x, y) -> y).orElse("")).isEqualTo("c");
    }

    @Test
    void aProjectFreshFromStartprojectIsServedUnchanged() {
        convergedGood();
        var made = stack.exec("web", "sh", "-c", "mkdir -p /code/examples/site && django-admin startproject freshsite /code/examples/site");
        assertThat(made.exit()).as(made.output()).isZero();
        String untouched = stack.read("examples/site/freshsite/settings.py");
        stack.commitAll("a fresh startproject");
        stack.writeDesired(good().replace("  live: a",
                "    f: {ref: HEAD, path: examples/site, healthPath: /}\n  live: a").replace("stage: b", "stage: f"));

        var apply = stack.regent("apply");

        assertThat(apply.exit()).as(apply.output()).isZero();
        var answer = stack.get(stack.stagePort, "/");
        assertThat(answer.build()).isEqualTo("f");
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).containsIgnoringCase("django");
        assertThat(stack.read("deploy/builds/f/app/freshsite/settings.py")).isEqualTo(untouched);
        assertThat(stack.servedBy(stack.livePort)).isEqualTo("a");
    }

    @Test
    void runLoopRepairsDriftAndKeepsTheLastGoodStateOnBadInput() throws Exception {
        convergedGood();
        Path log = Files.createTempFile("regent-run", ".log");
        Process run = stack.startRegent(log, "run", "--resync", "2", "--listen", "off");
        try {
            await().atMost(Duration.ofMinutes(2)).until(() -> Files.readString(log).contains("reconcile converged"));
            Path builds = stack.root.resolve("deploy/builds");

            Files.delete(builds.resolve("_live"));
            Files.createSymbolicLink(builds.resolve("_live"), Path.of("b"));
            await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> {
                assertThat(Files.readSymbolicLink(builds.resolve("_live")).toString()).isEqualTo("a");
                assertThat(Files.readString(log)).contains("drift", "make build a live");
            });

            int poolPid = new StatsReader(Duration.ofSeconds(2)).read(stack.root.resolve("deploy/run/a-pool.stats"))
                    .orElseThrow().pid();
            var killed = stack.exec("web", "sh", "-c", "kill -KILL " + poolPid);
            assertThat(killed.exit()).as(killed.output()).isZero();
            await().atMost(Duration.ofMinutes(1)).untilAsserted(() ->
                    assertThat(Files.readString(log)).contains("wait until build a answers"));

            String before = stack.fingerprint();
            stack.writeDesired(good().replace("live: a", "live: [oops"));
            await().atMost(Duration.ofMinutes(1)).untilAsserted(() ->
                    assertThat(Files.readString(log)).contains("invalid desired state, keeping the last good one", "desired-state.yaml:12"));
            assertThat(stack.fingerprint()).isEqualTo(before);
            assertThat(stack.servedBy(stack.livePort)).isEqualTo("a");
        } finally {
            run.destroy();
            run.waitFor();
        }
    }

    @Test
    void valuesFromTheFileNeverReachAShell() {
        convergedGood();
        String builds = "    b: {ref: HEAD}\n";
        String base = good();
        String hostile = base.replace("    b: {ref: HEAD}\n", builds
                + "    g: {ref: HEAD, path: \"examples/$(touch /code/pwned)`touch /code/pwned`\"}\n");
        stack.writeDesired(hostile);

        var apply = stack.regent("apply");

        assertThat(apply.exit()).as(apply.output()).isEqualTo(1);
        assertThat(apply.output()).contains("build g failed at step \"copy app\"");
        assertThat(stack.root.resolve("pwned")).as("no shell ran the path").doesNotExist();
        assertThat(stack.servedBy(stack.livePort)).isEqualTo("a");

        stack.writeDesired(base.replace("    b: {ref: HEAD}\n", builds + "    g: {ref: \"HEAD;touch /code/pwned\"}\n"));
        var refused = stack.regent("apply");
        assertThat(refused.exit()).isEqualTo(2);
        assertThat(refused.output()).contains("spec.builds.g.ref");
        assertThat(stack.root.resolve("pwned")).doesNotExist();
    }
}
