package dev.regent.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Processes and containers dying under a running {@code regent run}: a router respawned by its
 * emperor, the web container restarted, the whole Docker engine restarted. Each time the loop
 * notices, waits while it must, and converges again without anyone touching the host.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RestartE2E {
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

    @Test
    @Order(1)
    void aRouterRespawnedByItsEmperorGetsItsPoolBack() throws Exception {
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
            String text = Files.readString(log);
            assertThat(text).contains("drift", "action=ReattachPool");
            assertThat(text.substring(text.indexOf("action=ReattachPool"))).contains("reconcile converged");
        });
        assertThat(Files.readString(log)).doesNotContain("the action reported success but the host still needs it");
        assertThat(loop.isAlive()).isTrue();
    }

    @Test
    @Order(2)
    void theWebContainerRestartedIsWaitedForAndConvergedAgain() throws Exception {
        long start = System.nanoTime();
        Load load = Load.start(stack.livePort, "/healthz", 4, 300);

        stack.compose("restart", "-t", "5", "web");

        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            assertThat(stack.servedBy(stack.livePort)).isEqualTo("a");
            assertThat(stack.servedBy(stack.stagePort)).isEqualTo("b");
        });
        long servingAgain = (System.nanoTime() - start) / 1_000_000;
        await().atMost(Duration.ofMinutes(1)).untilAsserted(() ->
                assertThat(stack.regent("plan").output()).contains("Converged: nothing to do."));
        var seen = load.stop();
        System.out.printf("web container restarted: serving again after %d ms, plan converged after %d ms; load: %s%n",
                servingAgain, (System.nanoTime() - start) / 1_000_000, seen.line());
        assertThat(loop.isAlive()).isTrue();
        assertThat(seen.requests()).isPositive();
    }

    @Test
    @Order(3)
    void aBuildStepCutShortByAWebRestartIsNotABuildFailureAndIsBuiltAgain() throws Exception {
        String holdUntilReleased = "  steps:\n"
                + "    - {name: hold, run: [bash, -c, \"until [ -e /code/release-c ]; do sleep 0.1; done\"]}\n"
                + "    - {name: venv, run: [python3, -m, venv, --system-site-packages, --without-pip, venv]}\n"
                + "    - {name: collectstatic, run: [venv/bin/python, app/manage.py, collectstatic, --noinput]}\n"
                + "  builds:";
        stack.writeDesired(Stack.desiredState(stack.project, "    a: {ref: HEAD}\n    b: {ref: HEAD}\n    c: {ref: HEAD}\n",
                "a", "c").replace("  builds:", holdUntilReleased));
        await().atMost(Duration.ofMinutes(2)).until(() -> Files.readString(log).contains("build c: step hold"));

        stack.compose("restart", "-t", "5", "web");
        stack.write("release-c", "");

        await().atMost(Duration.ofMinutes(3)).untilAsserted(() -> assertThat(stack.servedBy(stack.stagePort)).isEqualTo("c"));
        assertThat(Files.readString(log)).contains("build c: step \"hold\" was cut short because the web container",
                "not recorded as a failure");
        assertThat(stack.root.resolve("deploy/run/c.failed.json")).doesNotExist();
        assertThat(stack.servedBy(stack.livePort)).isEqualTo("a");
    }

    @Test
    @Order(4)
    void theDockerEngineRestartedIsWaitedForAndConvergedAgain() throws Exception {
        long start = System.nanoTime();

        DockerEngine.restart();

        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            assertThat(stack.servedBy(stack.livePort)).isEqualTo("a");
            assertThat(stack.servedBy(stack.stagePort)).isEqualTo("c");
        });
        long servingAgain = (System.nanoTime() - start) / 1_000_000;
        await().atMost(Duration.ofMinutes(1)).untilAsserted(() ->
                assertThat(stack.regent("plan").output()).contains("Converged: nothing to do."));
        System.out.printf("Docker engine restarted: serving again after %d ms, plan converged after %d ms%n",
                servingAgain, (System.nanoTime() - start) / 1_000_000);
        assertThat(loop.isAlive()).as("the loop outlived the engine").isTrue();
        assertThat(Files.readString(log)).containsAnyOf("Docker engine unreachable", "is not running");
    }

    private static int pidOf(String processName) {
        var ps = stack.exec("web", "bash", "-c", "for f in /proc/[0-9]*/cmdline; do echo \"${f//[^0-9]/} $(tr '\\0' ' ' < $f 2>/dev/null)\"; done");
        Matcher matcher = Pattern.compile("(?m)^(\\d+) " + Pattern.quote(processName)).matcher(ps.output());
        return matcher.find() ? Integer.parseInt(matcher.group(1)) : -1;
    }
}
