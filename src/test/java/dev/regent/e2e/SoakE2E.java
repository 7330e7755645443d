package dev.regent.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * 200 promotions in a row under load with the reload-free strategy, each an edit of
 * desired-state.yaml that {@code regent run} converges: no failed request, and the operator's
 * memory, file descriptors and threads and the containers' process counts stay within stated bounds.
 */
@Isolated
class SoakE2E {
    static final int PROMOTIONS = 200;
    static final int WARM_UP = 20;
    static final long RSS_GROWTH_BOUND_KIB = 64 * 1024;
    static final int FD_GROWTH_BOUND = 8;
    static final int THREAD_GROWTH_BOUND = 4;
    static Stack stack;
    static Process loop;

    @BeforeAll
    static void converge() throws Exception {
        stack = Stack.startedAB();
        loop = stack.startLoop(Files.createTempFile("regent-soak", ".log"), Map.of("JAVA_TOOL_OPTIONS", "-Xmx128m"),
                "run", "--listen", "off");
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void twoHundredPromotionsUnderLoadFailNoRequestAndLeakNothing() throws Exception {
        Load live = Load.start(stack.livePort, "/healthz", 8, 1200);
        Load stage = Load.start(stack.stagePort, "/healthz", 4, 1200);
        var took = new ArrayList<Long>();
        Resources afterWarmUp = null;
        for (int promotion = 1; promotion <= PROMOTIONS; promotion++) {
            String next = promotion % 2 == 1 ? "b" : "a";
            String other = next.equals("a") ? "b" : "a";
            long start = System.nanoTime();
            writeAtomically(Stack.desiredState(stack.project, "    a: {ref: HEAD}\n    b: {ref: HEAD}\n", next, other));
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10))
                    .until(() -> stack.servedBy(stack.livePort).equals(next) && stack.servedBy(stack.stagePort).equals(other));
            took.add((System.nanoTime() - start) / 1_000_000);
            if (promotion == WARM_UP) {
                afterWarmUp = Resources.sample(stack, loop.pid());
            }
        }
        Resources atEnd = Resources.sample(stack, loop.pid());
        var liveLoad = live.stop();
        var stageLoad = stage.stop();
        took.sort(Long::compare);
        System.out.printf("soak: %d promotions, promotion time median %d ms, p99 %d ms, max %d ms%n"
                        + "  live load: %s; stage load: %s%n  after %d promotions: %s%n  after %d promotions: %s%n",
                PROMOTIONS, took.get(took.size() / 2), took.get(took.size() * 99 / 100), took.get(took.size() - 1),
                liveLoad.line(), stageLoad.line(), WARM_UP, afterWarmUp, PROMOTIONS, atEnd);

        assertThat(liveLoad.requests()).isPositive();
        assertThat(liveLoad.failed()).as(liveLoad.report()).isZero();
        assertThat(stageLoad.requests()).isPositive();
        assertThat(stageLoad.failed()).as(stageLoad.report()).isZero();
        assertThat(atEnd.webProcesses()).as("uWSGI processes in the web container").isEqualTo(afterWarmUp.webProcesses());
        assertThat(atEnd.nginxProcesses()).as("nginx processes").isEqualTo(afterWarmUp.nginxProcesses());
        assertThat(atEnd.operatorFds() - afterWarmUp.operatorFds()).as("operator file descriptors")
                .isLessThanOrEqualTo(FD_GROWTH_BOUND);
        assertThat(atEnd.operatorThreads() - afterWarmUp.operatorThreads()).as("operator threads")
                .isLessThanOrEqualTo(THREAD_GROWTH_BOUND);
        assertThat(atEnd.operatorRssKib() - afterWarmUp.operatorRssKib()).as("operator RSS growth, KiB")
                .isLessThanOrEqualTo(RSS_GROWTH_BOUND_KIB);
        assertThat(loop.isAlive()).isTrue();
    }

    private static void writeAtomically(String text) throws Exception {
        Path next = stack.root.resolve(".desired-state.yaml.next");
        Files.writeString(next, text);
        Files.move(next, stack.root.resolve("desired-state.yaml"), StandardCopyOption.ATOMIC_MOVE);
    }

    record Resources(int webProcesses, int nginxProcesses, int operatorFds, int operatorThreads, long operatorRssKib) {
        static Resources sample(Stack stack, long operatorPid) throws Exception {
            Path proc = Path.of("/proc", String.valueOf(operatorPid));
            int fds;
            try (var entries = Files.list(proc.resolve("fd"))) {
                fds = (int) entries.count();
            }
            String status = Files.readString(proc.resolve("status"));
            return new Resources(count(stack, "web", "uwsgi|\\[regent "), count(stack, "nginx", "^nginx"), fds,
                    (int) field(status, "Threads"), field(status, "VmRSS"));
        }

        /** Processes in the container whose command line matches {@code pattern} (short-lived execs do not). */
        private static int count(Stack stack, String service, String pattern) {
            var listing = stack.exec(service, "bash", "-c",
                    "for f in /proc/[0-9]*/cmdline; do tr '\\0' ' ' < $f 2>/dev/null; echo; done");
            return (int) listing.output().lines().filter(Pattern.compile(pattern).asPredicate()).count();
        }

        private static long field(String status, String name) {
            Matcher matcher = Pattern.compile("(?m)^" + name + ":\\s+(\\d+)").matcher(status);
            assertThat(matcher.find()).as(name + " in /proc/pid/status").isTrue();
            return Long.parseLong(matcher.group(1));
        }
    }
}
