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
 * Builds that never become healthy, on one real stack (spec.healthTimeout 20s, healthPath /healthz):
 * a pool that crash-loops (its WSGI module raises at import) and an app whose /healthz answers 500
 * are marked failed after the deadline, never staged, stopped, not waited on again, and do not hold back a good
 * build staged after them; a web container stopped during a good build's wait does not mark it failed.
 * Each test starts from live a, stage b with nothing else listed (which also removes any failed
 * build and its record) and makes the failures it needs itself.
 */
class BrokenBuildE2E {
    static final String WSGI = "examples/app/mysite/wsgi.py";
    static final String VIEWS = "examples/app/pages/views.py";
    static final String HOLD = "hold-the-pool";
    static Stack stack;
    static String crashing;
    static String unhealthy;
    static String gated;
    static String good;

    static String desired(String builds, String live, String stage) {
        return Stack.desiredState(stack == null ? "PROJECT" : stack.project, builds, live, stage)
                .replace("path: examples/app}", "path: examples/app, healthPath: /healthz}")
                .replace("  builds:", "  healthTimeout: 20s\n  builds:");
    }

    @BeforeAll
    static void start() throws Exception {
        stack = Stack.create(desired("    a: {ref: HEAD}\n    b: {ref: HEAD}\n", "a", "b"));
        stack.up();
        String wsgi = stack.read(WSGI);
        stack.write(WSGI, wsgi + "\nraise RuntimeError('broken on purpose by BrokenBuildE2E')\n");
        crashing = stack.commitAll("the WSGI module raises at import");
        stack.write(WSGI, wsgi);
        String views = stack.read(VIEWS);
        stack.write(VIEWS, views.replace("return HttpResponse('ok', content_type='text/plain')",
                "return HttpResponse('sick', status=500, content_type='text/plain')"));
        unhealthy = stack.commitAll("/healthz answers 500");
        stack.write(VIEWS, views);
        stack.write(WSGI, "import os, time\nwhile os.path.exists('/code/" + HOLD + "'):\n    time.sleep(0.2)\n" + wsgi);
        gated = stack.commitAll("a good app whose start waits while the test holds it");
        stack.write(WSGI, wsgi);
        good = stack.commitAll("mend all");
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    static String builds(String... lines) {
        return String.join("", java.util.Arrays.stream(lines).map(l -> "    " + l + "\n").toList());
    }

    static final String AB = builds("a: {ref: HEAD}", "b: {ref: HEAD}");

    static void convergedAB() {
        stack.converge(desired(AB, "a", "b"));
    }

    static Stack.Result timedApply(String what) {
        long start = System.nanoTime();
        var apply = stack.regent("apply");
        System.out.printf("BrokenBuildE2E: %s took %.1f s (exit %d)%n", what, (System.nanoTime() - start) / 1e9, apply.exit());
        apply.output().lines().filter(l -> l.contains("FAILED after")).map(l -> l.length() > 160 ? l.substring(0, 160) : l)
                .forEach(l -> System.out.println("BrokenBuildE2E:   " + l.strip()));
        return apply;
    }

    @Test
    void liveAStageB() {
        stack.writeDesired(desired(AB, "a", "b"));
        var apply = stack.regent("apply");

        assertThat(apply.exit()).as(apply.output()).isZero();
        assertThat(stack.servedBy(stack.livePort)).isEqualTo("a");
        assertThat(stack.servedBy(stack.stagePort)).isEqualTo("b");
    }

    @Test
    void aCrashLoopingBuildIsMarkedFailedAfterTheDeadlineNeverStagedAndTheNextApplyStopsItWithoutWaiting() {
        convergedAB();
        stack.writeDesired(desired(builds("a: {ref: HEAD}", "b: {ref: HEAD}", "c: {ref: " + crashing + "}"), "a", "c"));

        var apply = timedApply("apply staging crash-looping build c, until c is marked failed");

        assertThat(apply.exit()).as(apply.output()).isEqualTo(1);
        assertThat(apply.output()).contains("create build c", "link the worker pool of build c",
                "build c failed at step \"start the worker pool\" and is marked failed",
                "did not come up within 20 s", "RuntimeError: broken on purpose by BrokenBuildE2E")
                .doesNotContain("link build c as stage");
        assertThat(stack.servedBy(stack.stagePort)).isEqualTo("b");
        assertThat(stack.servedBy(stack.livePort)).isEqualTo("a");
        assertThat(stack.read("deploy/run/c.failed.json")).contains("\"step\" : \"start the worker pool\"", crashing);
        var json = stack.regent("status", "-o", "json");
        assertThat(json.exit()).isEqualTo(1);
        assertThat(json.output()).contains("\"step\" : \"start the worker pool\"", "throttles its respawns",
                "RuntimeError: broken on purpose by BrokenBuildE2E", "build c failed at step", "stage stays at b");

        var next = timedApply("second apply (stops c's pool and vassal)");

        assertThat(next.exit()).as(next.output()).isEqualTo(1);
        assertThat(next.output()).contains("stop the worker pool of build c", "stop the vassal of build c",
                "build c failed at step \"start the worker pool\"", "RuntimeError: broken on purpose",
                "remove it from the desired state and apply, then list it again")
                .doesNotContain("wait until build c", "link the worker pool of build c", "link the vassal of build c");
        Path c = stack.root.resolve("deploy/builds/c");
        assertThat(Files.isSymbolicLink(c.resolve("zerg.ini")) || Files.isSymbolicLink(c.resolve("vassal.ini"))).isFalse();
        var router = stack.exec("web", "curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "http://127.0.0.1:2020/");
        assertThat(router.output()).as("build c's router no longer listens").isEqualTo("000");

        long start = System.nanoTime();
        stack.regent("plan");
        System.out.printf("BrokenBuildE2E: for comparison, regent plan (JVM start, observe, plan) took %.1f s%n",
                (System.nanoTime() - start) / 1e9);
        var third = timedApply("third apply (nothing left to do but report c)");
        assertThat(third.exit()).isEqualTo(1);
        assertThat(third.output()).doesNotContain("-> ").contains("build c failed at step");
        var table = stack.regent("status");
        assertThat(table.output()).contains("failed at step \"start the worker pool\"", "RuntimeError: broken on purpose");
        assertThat(stack.servedBy(stack.stagePort)).isEqualTo("b");
        assertThat(stack.servedBy(stack.livePort)).isEqualTo("a");
    }

    @Test
    void aBuildWhoseHealthCheckAnswers500IsMarkedFailedAtTheHealthCheckAndStoppedByTheNextApply() {
        convergedAB();
        stack.writeDesired(desired(builds("a: {ref: HEAD}", "b: {ref: HEAD}", "e: {ref: " + unhealthy + "}"), "a", "e"));

        var apply = timedApply("apply staging build e whose /healthz answers 500, until e is marked failed");

        assertThat(apply.exit()).as(apply.output()).isEqualTo(1);
        assertThat(apply.output()).contains("build e failed at step \"health check\" and is marked failed",
                "GET http://127.0.0.1:2040/healthz", "HTTP 500 from build 'e'").doesNotContain("link build e as stage");
        assertThat(stack.servedBy(stack.stagePort)).isEqualTo("b");
        var json = stack.regent("status", "-o", "json");
        assertThat(json.output()).contains("\"step\" : \"health check\"", "HTTP 500 from build 'e'");

        var next = timedApply("second apply (stops e's pool)");
        assertThat(next.exit()).as(next.output()).isEqualTo(1);
        assertThat(next.output()).contains("stop the worker pool of build e", "build e failed at step \"health check\"")
                .doesNotContain("wait until build e");
    }

    /**
     * c and e are made to fail first (each waits out the 20 s deadline), then d is listed beside
     * them. Both fail at the health check: a second crash-looping pool in the same web container
     * was seen not to be marked failed (its emperor, throttling, did not answer throughout the
     * wait, which reads as a restarting container); the crash loop has its own test above.
     */
    @Test
    void aGoodBuildIsStagedWhileTheBrokenOnesStayListedAndRemovingOneClearsItsRecord() {
        convergedAB();
        String withC = builds("a: {ref: HEAD}", "b: {ref: HEAD}", "c: {ref: " + unhealthy + "}");
        stack.writeDesired(desired(withC, "a", "c"));
        assertThat(timedApply("setup: c fails").output()).contains("build c failed at step \"health check\"");
        String withCE = withC + builds("e: {ref: " + unhealthy + "}");
        stack.writeDesired(desired(withCE, "a", "e"));
        assertThat(timedApply("setup: e fails").output()).contains("build e failed at step \"health check\"");
        stack.writeDesired(desired(withCE + builds("d: {ref: " + good + "}"), "a", "d"));

        var apply = timedApply("apply staging good build d beside the failed c and e");

        assertThat(apply.output()).contains("stop the worker pool of build e", "create build d", "link build d as stage")
                .doesNotContain("wait until build c", "wait until build e", "FAILED");
        assertThat(apply.exit()).as("still blocked by c and e, which stay listed").isEqualTo(1);
        assertThat(apply.output()).contains("build c failed at step", "build e failed at step");
        assertThat(stack.servedBy(stack.stagePort)).isEqualTo("d");
        assertThat(stack.servedBy(stack.livePort)).isEqualTo("a");

        stack.writeDesired(desired(builds("a: {ref: HEAD}", "b: {ref: HEAD}", "c: {ref: " + unhealthy + "}",
                "d: {ref: " + good + "}"), "a", "d"));
        var remove = stack.regent("apply");
        assertThat(remove.output()).contains("remove build e");
        assertThat(stack.root.resolve("deploy/builds/e")).doesNotExist();
        assertThat(stack.root.resolve("deploy/run/e.failed.json")).doesNotExist();

        stack.writeDesired(desired(builds("a: {ref: HEAD}", "b: {ref: HEAD}", "c: {ref: " + unhealthy + "}",
                "d: {ref: " + good + "}", "e: {ref: " + good + "}"), "a", "e"));
        var again = stack.regent("apply");

        assertThat(again.output()).contains("create build e", "link build e as stage");
        assertThat(stack.servedBy(stack.stagePort)).isEqualTo("e");
    }

    /**
     * Build f is good, but its pool's start is held (its WSGI module waits while a file exists), so
     * the web container is surely stopped during the wait; once released, f starts and is staged.
     */
    @Test
    void aWebContainerStoppedDuringTheWaitDoesNotMarkAGoodBuildFailed() throws Exception {
        convergedAB();
        String listed = AB + builds("f: {ref: " + gated + "}");
        stack.write(HOLD, "");
        try {
            stack.writeDesired(desired(listed, "a", "f"));
            Path log = Files.createTempFile("regent-broken", ".log");
            Process apply = stack.startRegent(log, "apply");
            await().atMost(Duration.ofMinutes(3)).until(() -> Files.readString(log).contains("-> link the worker pool of build f"));
            stack.compose("stop", "-t", "2", "web");
            assertThat(apply.waitFor(3, java.util.concurrent.TimeUnit.MINUTES)).isTrue();
            String output = Files.readString(log);
            assertThat(output).contains("the worker pool of build f did not come up within 20 s", "not marked failed", "did not answer throughout")
                    .doesNotContain("build f failed at step");
            assertThat(stack.root.resolve("deploy/run/f.failed.json")).doesNotExist();
        } finally {
            Files.deleteIfExists(stack.root.resolve(HOLD));
            stack.compose("start", "web");
        }
        var resumed = stack.regent("apply");

        assertThat(resumed.output()).contains("link build f as stage").doesNotContain("build f failed");
        assertThat(stack.servedBy(stack.stagePort)).isEqualTo("f");
        assertThat(stack.servedBy(stack.livePort)).isEqualTo("a");
    }
}
