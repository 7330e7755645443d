package dev.regent.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * A full promotion (build c from a new commit becomes live, a becomes stage, b is removed) done
 * by operators that are SIGKILLed at every step inside the build and then after every action,
 * each time restarted, while load runs on the live and stage ports.
 */
@Isolated
class CrashE2E {
    /** A build step starting, or a stage of Regent's own venv step (its progress lines say "venv: ..."). */
    private static final Pattern STEP = Pattern.compile("build c: (?:step ([^:\\s]+)|(venv): )");
    static Stack stack;
    /** Actions the SIGKILL landed in, when the next action had already begun: its effect may be half done. */
    static final List<String> killedDuring = new ArrayList<>();

    @BeforeAll
    static void converge() throws Exception {
        stack = Stack.convergedAB();
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void killedAtEveryStepAndActionBoundaryThePromotionStillCompletesWithoutAFailedRequest() throws Exception {
        String template = "examples/app/pages/templates/pages/index.html";
        stack.write(template, stack.read(template).replace("</h1>", " (promoted)</h1>"));
        String commit = stack.commitAll("a page for build c");
        stack.writeDesired(Stack.desiredState(stack.project, "    a: {ref: HEAD}\n    c: {ref: " + commit + "}\n", "c", "a"));
        Load live = Load.start(stack.livePort, "/healthz", 8, 600);
        Load stage = Load.start(stack.stagePort, "/healthz", 4, 600);
        await().atMost(Duration.ofSeconds(10)).until(() -> live.running() && stage.running());

        var killedAfter = new ArrayList<String>();
        List<String> killedInBuild = killInsideTheBuildAtEveryStep(killedAfter);
        killAfterEveryAction(killedAfter);

        var liveLoad = live.stop();
        var stageLoad = stage.stop();
        System.out.printf("crash at every boundary: killed inside the build at steps %s; after the actions %s%n"
                + "  killed while the next action had begun: %s%n  live load: %s%n  stage load: %s%n",
                killedInBuild, killedAfter, killedDuring, liveLoad.line(), stageLoad.line());
        assertThat(killedInBuild).as("SIGKILLs inside the build").hasSizeGreaterThanOrEqualTo(2);
        var killedAtOrIn = new ArrayList<>(killedAfter);
        killedAtOrIn.addAll(killedDuring);
        assertThat(killedAtOrIn).as("a SIGKILL landed after or inside every action kind of the promotion").contains(
                "create build c", "write the nginx includes of build c", "link the vassal of build c",
                "link the worker pool of build c", "wait until build c", "warm up build c", "make build c live",
                "link build a as stage", "stop the worker pool of build b", "stop the vassal of build b");
        assertThat(liveLoad.requests()).as(liveLoad.report()).isPositive();
        assertThat(liveLoad.failed()).as(liveLoad.report()).isZero();
        assertThat(stageLoad.requests()).as(stageLoad.report()).isPositive();
        assertThat(stageLoad.failed()).as(stageLoad.report()).isZero();
        assertThat(stack.servedBy(stack.livePort)).isEqualTo("c");
        assertThat(stack.get(stack.livePort, "/").body()).contains("(promoted)");
        assertThat(stack.servedBy(stack.stagePort)).isEqualTo("a");
        assertThat(stack.regent("plan").output()).contains("Converged: nothing to do.");
        assertThat(stack.root.resolve("deploy/builds/b")).doesNotExist();
        try (var leftovers = Files.list(stack.root.resolve("deploy/builds"))) {
            assertThat(leftovers.map(p -> p.getFileName().toString())).as("no half-built folder is left")
                    .containsExactlyInAnyOrder("a", "c", "_live", "_stage");
        }
        assertThat(uwsgiProcessBuilds()).as("only a's and c's uWSGI processes run").containsExactly("a", "c");
    }

    /** Kills the operator as build c's s-th step starts, for s = 1, 2, ... until the build completes in one run. */
    private List<String> killInsideTheBuildAtEveryStep(List<String> killedAfter) throws Exception {
        var killed = new ArrayList<String>();
        for (int step = 1; step < 20; step++) {
            int wanted = step;
            Path log = Files.createTempFile("regent-crash", ".log");
            Process apply = stack.startRegent(log, "apply");
            await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(20)).until(() ->
                    !apply.isAlive() || steps(Files.readString(log)).size() >= wanted || builtC(Files.readString(log)));
            boolean endedByItself = !apply.isAlive();
            apply.destroyForcibly().waitFor();
            String output = Files.readString(log);
            if (builtC(output)) {
                killedAfter.add("create build c");
            }
            if (builtC(output) || endedByItself) {
                return killed;
            }
            killed.add(steps(output).get(wanted - 1));
        }
        throw new AssertionError("the build never completed: " + killed);
    }

    /** Kills the operator after the first action each run completes, until a run converges by itself. */
    private void killAfterEveryAction(List<String> killed) throws Exception {
        for (int run = 0; run < 30; run++) {
            Path log = Files.createTempFile("regent-crash", ".log");
            Process apply = stack.startRegent(log, "apply");
            await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(20)).until(() ->
                    !apply.isAlive() || !completed(Files.readString(log)).isEmpty());
            boolean endedByItself = !apply.isAlive();
            apply.destroyForcibly().waitFor();
            String output = Files.readString(log);
            if (endedByItself) {
                assertThat(apply.exitValue()).as(output).isZero();
                return;
            }
            killed.add(kind(completed(output).get(0)));
            started(output).stream().skip(1).findFirst().ifPresent(next -> killedDuring.add(kind(next)));
        }
        throw new AssertionError("the promotion did not converge after 30 restarts: " + killed);
    }

    /** An action as the CLI names it, without the details that vary between runs. */
    private static String kind(String action) {
        return action.replaceFirst(" (\\(was|answers|from|on port) .*", "");
    }

    /** The actions the CLI reported starting, in order. */
    private static List<String> started(String output) {
        return output.lines().filter(line -> line.startsWith("-> "))
                .map(line -> line.substring(3).replaceFirst(" \\.\\.\\.$", "")).toList();
    }

    private static List<String> steps(String output) {
        var names = new ArrayList<String>();
        Matcher matcher = STEP.matcher(output);
        while (matcher.find()) {
            names.add(matcher.group(1) != null ? matcher.group(1) : matcher.group(2));
        }
        return names;
    }

    private static boolean builtC(String output) {
        return completed(output).stream().anyMatch(action -> action.startsWith("create build c"));
    }

    /** The actions the CLI reported done, in order: a "-> ACTION ..." line later followed by "done in". */
    private static List<String> completed(String output) {
        var done = new ArrayList<String>();
        String current = null;
        for (String line : output.split("\n")) {
            if (line.startsWith("-> ")) {
                current = line.substring(3).replaceFirst(" \\.\\.\\.$", "");
            } else if (current != null && line.strip().startsWith("done in")) {
                done.add(current);
                current = null;
            }
        }
        return done;
    }

    private Set<String> uwsgiProcessBuilds() {
        var ps = stack.exec("web", "bash", "-c",
                "for f in /proc/[0-9]*/cmdline; do tr '\\0' ' ' < $f 2>/dev/null; echo; done");
        var builds = new TreeSet<String>();
        Matcher matcher = Pattern.compile("\\[regent ([a-z0-9-]+) (router|pool)]").matcher(ps.output());
        while (matcher.find()) {
            builds.add(matcher.group(1));
        }
        return builds;
    }
}
