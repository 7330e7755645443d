package dev.regent.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * Processes and containers dying under a running {@code regent run}: a router respawned by its
 * emperor, the web container restarted, the whole Docker engine restarted. Each time the loop
 * notices, waits while it must, and converges again without anyone touching the host. The stack
 * and its loop are shared; each test starts by converging them to live a, stage b, and reads only
 * the part of the loop's log written since.
 */
@Isolated
class RestartE2E {
    static final Path RELEASE_C = Path.of("release-c");
    static Stack stack;
    static Process loop;
    static Path log;

    @BeforeAll
    static void startTheLoop() throws Exception {
        stack = Stack.startedAB();
        log = Files.createTempFile("regent-restart", ".log");
        loop = stack.startLoop(log, Map.of(), "run", "--listen", "off");
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    /** Lists a (live) and b (stage) only, waits until the loop converged on them; returns where the log stands. */
    static long convergedAB() throws Exception {
        stack.writeDesired(Stack.desiredState(stack.project, "    a: {ref: HEAD}\n    b: {ref: HEAD}\n", "a", "b"));
        await().atMost(Duration.ofMinutes(3)).untilAsserted(() -> {
            assertThat(loop.isAlive()).as("regent run exited:\n%s", Files.readString(log)).isTrue();
            assertThat(stack.servedBy(stack.livePort)).isEqualTo("a");
            assertThat(stack.servedBy(stack.stagePort)).isEqualTo("b");
            assertThat(stack.regent("plan").output()).contains("Converged: nothing to do.");
        });
        Files.deleteIfExists(stack.root.resolve(RELEASE_C));
        return Files.size(log);
    }

    /** What the loop logged after {@code mark}. */
    static String logSince(long mark) throws Exception {
        byte[] all = Files.readAllBytes(log);
        return new String(all, (int) mark, all.length - (int) mark, StandardCharsets.UTF_8);
    }

    @Test
    void aRouterRespawnedByItsEmperorGetsItsPoolBack() throws Exception {
        long mark = convergedAB();
        int router = pidOf("[regent a router] uWSGI master");
        long start = System.nanoTime();

        stack.exec("web", "bash", "-c", "kill -9 \"$1\"", "regent", String.valueOf(router));

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            assertThat(pidOf("[regent a router] uWSGI master")).isNotEqualTo(router);
            assertThat(stack.get(stack.livePort, "/healthz").status()).isEqualTo(200);
            assertThat(stack.servedBy(stack.livePort)).isEqualTo("a");
        });
        System.out.printf("router of live build a SIGKILLed: live answers again after %d ms%n",
                (System.nanoTime() - start) / 1_000_000);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            String text = logSince(mark);
            assertThat(text).contains("drift", "action=ReattachPool");
            assertThat(text.substring(text.indexOf("action=ReattachPool"))).contains("reconcile converged");
        });
        assertThat(logSince(mark)).doesNotContain("the action reported success but the host still needs it");
        assertThat(loop.isAlive()).isTrue();
    }

    /**
     * Requests fail while the container is down (docs/reliability.md, row 3b); once live serves
     * build a again, none fails while the loop proves health and warm-up again.
     */
    @Test
    void theWebContainerRestartedIsWaitedForAndConvergedAgain() throws Exception {
        convergedAB();
        long start = System.nanoTime();
        Load during = Load.start(stack.livePort, "/healthz", 4, 300);

        stack.compose("restart", "-t", "5", "web");

        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            assertThat(stack.servedBy(stack.livePort)).isEqualTo("a");
            assertThat(stack.servedBy(stack.stagePort)).isEqualTo("b");
        });
        long servingAgain = (System.nanoTime() - start) / 1_000_000;
        var whileDown = during.stop();
        Load after = Load.start(stack.livePort, "/healthz", 4, 300);
        await().atMost(Duration.ofMinutes(1)).untilAsserted(() ->
                assertThat(stack.regent("plan").output()).contains("Converged: nothing to do."));
        boolean afterRanThroughout = after.running();
        var onceServing = after.stop();
        System.out.printf("web container restarted: serving again after %d ms, plan converged after %d ms;"
                        + " load until serving again: %s; from then until converged: %s%n",
                servingAgain, (System.nanoTime() - start) / 1_000_000, whileDown.line(), onceServing.line());
        assertThat(loop.isAlive()).isTrue();
        assertThat(whileDown.requests()).as(whileDown.report()).isPositive();
        assertThat(afterRanThroughout).as("the load ran until the plan was empty").isTrue();
        assertThat(onceServing.requests()).as(onceServing.report()).isPositive();
        assertThat(onceServing.failed()).as("failed requests once live served again:\n" + onceServing.report()).isZero();
        assertThat(stack.servedBy(stack.livePort)).isEqualTo("a");
        assertThat(stack.servedBy(stack.stagePort)).isEqualTo("b");
    }

    @Test
    void aBuildStepCutShortByAWebRestartIsNotABuildFailureAndIsBuiltAgain() throws Exception {
        long mark = convergedAB();
        String holdUntilReleased = "  steps:\n"
                + "    - {name: hold, run: [bash, -c, \"until [ -e /code/release-c ]; do sleep 0.1; done\"]}\n"
                + "    - {name: venv, run: [python3, -m, venv, --system-site-packages, --without-pip, venv]}\n"
                + "    - {name: collectstatic, run: [venv/bin/python, app/manage.py, collectstatic, --noinput]}\n"
                + "  builds:";
        stack.writeDesired(Stack.desiredState(stack.project, "    a: {ref: HEAD}\n    b: {ref: HEAD}\n    c: {ref: HEAD}\n",
                "a", "c").replace("  builds:", holdUntilReleased));
        try {
            await().atMost(Duration.ofMinutes(2)).until(() -> logSince(mark).contains("build c: step hold"));

            stack.compose("restart", "-t", "5", "web");
        } finally {
            stack.write(RELEASE_C.toString(), "");
        }

        await().atMost(Duration.ofMinutes(3)).untilAsserted(() -> assertThat(stack.servedBy(stack.stagePort)).isEqualTo("c"));
        assertThat(logSince(mark)).contains("build c: step \"hold\" was cut short because the web container",
                "not recorded as a failure");
        assertThat(stack.root.resolve("deploy/run/c.failed.json")).doesNotExist();
        assertThat(stack.servedBy(stack.livePort)).isEqualTo("a");
    }

    @Test
    void theDockerEngineRestartedIsWaitedForAndConvergedAgain() throws Exception {
        long mark = convergedAB();
        long start = System.nanoTime();

        DockerEngine.restart();

        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            assertThat(stack.servedBy(stack.livePort)).isEqualTo("a");
            assertThat(stack.servedBy(stack.stagePort)).isEqualTo("b");
        });
        long servingAgain = (System.nanoTime() - start) / 1_000_000;
        await().atMost(Duration.ofMinutes(1)).untilAsserted(() ->
                assertThat(stack.regent("plan").output()).contains("Converged: nothing to do."));
        System.out.printf("Docker engine restarted: serving again after %d ms, plan converged after %d ms%n",
                servingAgain, (System.nanoTime() - start) / 1_000_000);
        assertThat(loop.isAlive()).as("the loop outlived the engine").isTrue();
        assertThat(logSince(mark)).containsAnyOf("Docker engine unreachable", "is not running");
    }

    private static int pidOf(String processName) {
        var ps = stack.exec("web", "bash", "-c", "for f in /proc/[0-9]*/cmdline; do echo \"${f//[^0-9]/} $(tr '\\0' ' ' < $f 2>/dev/null)\"; done");
        Matcher matcher = Pattern.compile("(?m)^(\\d+) " + Pattern.quote(processName)).matcher(ps.output());
        return matcher.find() ? Integer.parseInt(matcher.group(1)) : -1;
    }
}
