package dev.regent.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.regent.uwsgi.StatsReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * Host faults on one real stack whose deploy/builds and deploy/run are small tmpfs mounts: a disk
 * that fills up during a build, and two operators started on the same host. Each test starts
 * from live a, stage b with both disks emptied and stops every process it started.
 */
@Isolated
class FaultsE2E {
    private static final Pattern FAILED_STEP = Pattern.compile("build c failed at step \"([^\"]+)\"");
    private static final Pattern FAILED_AFTER = Pattern.compile("FAILED after ([0-9.]+)s");
    static Stack stack;
    static SmallDisk builds;
    static SmallDisk run;
    static final List<Process> started = new ArrayList<>();

    static String desired(String builds, String live, String stage) {
        return Stack.desiredState(stack == null ? "PROJECT" : stack.project, builds, live, stage);
    }

    static String withC(String ref) {
        return desired("    a: {ref: HEAD}\n    b: {ref: HEAD}\n    c: {ref: " + ref + "}\n", "a", "c");
    }

    @BeforeAll
    static void start() throws Exception {
        stack = Stack.create(desired("    a: {ref: HEAD}\n    b: {ref: HEAD}\n", "a", "b"));
        builds = SmallDisk.mount(stack, "deploy/builds", "8m");
        run = SmallDisk.mount(stack, "deploy/run", "16m");
        stack.up();
        for (String service : List.of("web", "nginx")) {
            var seen = stack.exec(service, "stat", "-f", "-c", "%T %b %S", "/code/deploy/builds", "/code/deploy/run");
            assertThat(seen.output()).as("the containers see both small filesystems").isEqualTo("tmpfs 2048 4096\ntmpfs 4096 4096\n");
        }
        var apply = stack.regent("apply");
        assertThat(apply.exit()).as(apply.output()).isZero();
    }

    @AfterAll
    static void stop() {
        started.forEach(Process::destroyForcibly);
        try {
            if (builds != null) {
                builds.close();
            }
        } finally {
            try {
                if (run != null) {
                    run.close();
                }
            } finally {
                if (stack != null) {
                    stack.close();
                }
            }
        }
    }

    @Test
    void aFullDiskFailsTheBuildNamingTheStepLeavesNoFolderAndTouchesNothingServing() throws Exception {
        builds.empty();
        run.empty();
        stack.converge(desired("    a: {ref: HEAD}\n    b: {ref: HEAD}\n", "a", "b"));
        String a = stack.fingerprintOf("a");
        String b = stack.fingerprintOf("b");
        String roles = roles();
        List<Integer> pools = poolPids();
        var watch = new ServingWatch(stack, "a", "b");
        try {
            builds.fill();
            assertThat(builds.freeBytes()).isZero();
            stack.writeDesired(withC("HEAD"));

            long t0 = System.nanoTime();
            var full = stack.regent("apply");
            long applyMillis = (System.nanoTime() - t0) / 1_000_000;

            assertThat(full.exit()).as(full.output()).isEqualTo(1);
            assertThat(full.output()).contains("build c failed at step \"copy app\": no space left on device (deploy/builds: 0 KiB free of 8192 KiB)",
                    "Cannot write: No space left on device");
            System.out.printf("disk full: apply took %d ms, the build action %s s%n", applyMillis, group(FAILED_AFTER, full.output()));
            assertNothingLeftAndNothingServingTouched(a, b, roles, pools);

            var again = stack.regent("apply");
            assertThat(again.exit()).as(again.output()).isEqualTo(1);
            assertThat(again.output()).as("a failed build is not retried until its ref changes")
                    .doesNotContain("-> create build c").contains("(change its ref or remove it to retry)");

            run.fill();
            stack.writeDesired(withC("main"));
            var noRecord = stack.regent("apply");
            run.empty();
            assertThat(noRecord.exit()).as(noRecord.output()).isEqualTo(1);
            assertThat(noRecord.output()).contains("build c failed at step \"copy app\"",
                    "the failure could not be recorded, so the next reconcile tries again", "No space left on device")
                    .doesNotContain("Exception in thread", "\tat ");
            assertNothingLeftAndNothingServingTouched(a, b, roles, pools);

            List<String> steps = sweepFreeSpaceUntilALaterStepFails(a, b, roles, pools);
            System.out.println("disk full: steps that failed while freeing 4 KiB at a time: " + steps);
            assertThat(steps).first().isEqualTo("copy app");
            assertThat(steps).as("the disk also fills after the copy").hasSizeGreaterThan(1);
        } finally {
            builds.empty();
            run.empty();
            watch.stop();
        }
        System.out.printf("disk full: %d polls of live and stage, %d bad answers%n", watch.checks(), watch.problems().size());
        assertThat(watch.problems()).as("live served a and stage b throughout").isEmpty();
        assertThat(watch.checks()).isGreaterThan(20);

        String lastRef = stack.desired().contains("c: {ref: HEAD}") ? "HEAD" : "main";
        boolean built = Files.isDirectory(stack.root.resolve("deploy/builds/c"));
        // The sweep ends with c built at its last ref, or failed (and recorded) at it: then the other ref builds.
        stack.writeDesired(withC(built ? lastRef : lastRef.equals("HEAD") ? "main" : "HEAD"));
        var freed = stack.regent("apply");

        assertThat(freed.exit()).as(freed.output()).isZero();
        assertThat(stack.servedBy(stack.stagePort)).isEqualTo("c");
        assertThat(stack.servedBy(stack.livePort)).isEqualTo("a");
        assertThat(stack.fingerprintOf("a")).isEqualTo(a);
    }

    /** Frees the full deploy/builds a page at a time, retrying c each time, until it fails after the copy. */
    private static List<String> sweepFreeSpaceUntilALaterStepFails(String a, String b, String roles, List<Integer> pools) {
        var steps = new ArrayList<String>();
        String ref = "HEAD"; // c failed with main unrecorded: main is tried first, then they alternate
        for (int page = 1; page <= 40; page++) {
            builds.release(4096);
            ref = ref.equals("main") ? "HEAD" : "main";
            // c is listed but not staged: once enough is freed it builds (a requirements venv is only a
            // link into deploy/deps, so few steps write here), and nothing serving may change then either.
            stack.writeDesired(desired("    a: {ref: HEAD}\n    b: {ref: HEAD}\n    c: {ref: " + ref + "}\n", "a", "b"));
            var apply = stack.regent("apply");
            if (apply.exit() == 0) {
                assertThat(stack.servedBy(stack.stagePort)).isEqualTo("b");
                break;
            }
            assertThat(apply.exit()).as(apply.output()).isEqualTo(1);
            String step = group(FAILED_STEP, apply.output());
            assertThat(apply.output()).as("page " + page).contains("-> create build c", "no space left on device (deploy/builds: ");
            assertNothingLeftAndNothingServingTouched(a, b, roles, pools);
            if (steps.isEmpty() || !steps.get(steps.size() - 1).equals(step)) {
                steps.add(step);
                System.out.printf("disk full with %d KiB freed: %s%n", page * 4,
                        apply.output().lines().filter(l -> l.contains("FAILED after")).findFirst().orElse(""));
            }
            if (!step.equals("copy app") && !step.equals("write generated files")) {
                break;
            }
        }
        return steps;
    }

    private static void assertNothingLeftAndNothingServingTouched(String a, String b, String roles, List<Integer> pools) {
        assertThat(stack.root.resolve("deploy/builds/.c.tmp")).as("the half-built folder is removed by the failing build").doesNotExist();
        assertThat(stack.root.resolve("deploy/builds/c")).doesNotExist();
        assertThat(stack.root.resolve("deploy/assets/static/c")).doesNotExist();
        assertThat(stack.fingerprintOf("a")).isEqualTo(a);
        assertThat(stack.fingerprintOf("b")).isEqualTo(b);
        assertThat(roles()).isEqualTo(roles);
        assertThat(poolPids()).as("no serving process was restarted").isEqualTo(pools);
    }

    private static String roles() {
        return stack.fingerprint().lines().filter(l -> l.startsWith("_")).toList().toString();
    }

    private static List<Integer> poolPids() {
        var stats = new StatsReader(Duration.ofSeconds(2));
        return List.of("a", "b").stream()
                .map(name -> stats.read(stack.root.resolve("deploy/run/" + name + "-pool.stats")).orElseThrow().pid())
                .toList();
    }

    private static String group(Pattern pattern, String text) {
        Matcher matcher = pattern.matcher(text);
        assertThat(matcher.find()).as(pattern + " in:\n" + text).isTrue();
        return matcher.group(1);
    }

    @Test
    void twoOperatorsOnOneHostOnlyOneActsAndTheOtherTakesOverWhenItIsKilled() throws Exception {
        try {
            twoOperators();
        } finally {
            stopStarted();
        }
    }

    private static void stopStarted() throws InterruptedException {
        for (Process process : started) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        started.clear();
    }

    private static void twoOperators() throws Exception {
        builds.empty();
        run.empty();
        stack.converge(desired("    a: {ref: HEAD}\n    b: {ref: HEAD}\n", "a", "b"));
        Path lockFile = stack.root.resolve("deploy/run/regent.lock");
        Files.writeString(lockFile, "regent run pid 2147483646 on a-host-long-gone since 2020-01-01T00:00:00Z\n");
        Path log1 = Files.createTempFile("regent-first", ".log");
        Path log2 = Files.createTempFile("regent-second", ".log");
        Path log3 = Files.createTempFile("regent-apply-wait", ".log");

        Process first = start(log1, "run", "--resync", "2", "--listen", "off");
        await().atMost(Duration.ofMinutes(2)).untilAsserted(() ->
                assertThat(Files.readString(log1)).as("a lock file left by a dead holder blocks nobody")
                        .contains("holding the host lock", "reconcile converged"));
        assertThat(Files.readString(lockFile)).contains("\"command\":\"run\"", "\"pid\":" + first.pid() + ",");
        assertThat(stack.servedBy(stack.stagePort)).isEqualTo("b");

        Process second = start(log2, "run", "--resync", "2", "--listen", "off");
        String named = "another Regent holds the host lock (regent run pid " + first.pid() + " on ";
        await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> assertThat(Files.readString(log2)).contains(named, "waiting for it to exit"));

        long t0 = System.nanoTime();
        var apply = stack.regent("apply");
        long applyMillis = (System.nanoTime() - t0) / 1_000_000;
        assertThat(apply.exit()).as(apply.output()).isEqualTo(3);
        assertThat(apply.output()).contains("another Regent holds this host (regent run pid " + first.pid() + " on ",
                "nothing was changed", "--wait");
        System.out.printf("two operators: apply refused in %d ms: %s%n", applyMillis, apply.output().strip());

        Process waiting = start(log3, "apply", "--wait");
        await().atMost(Duration.ofMinutes(1)).untilAsserted(() ->
                assertThat(Files.readString(log3)).contains("another Regent holds this host (regent run pid " + first.pid(), "waiting for it to exit"));
        assertThat(waiting.isAlive()).isTrue();
        waiting.destroy();
        waiting.waitFor(30, TimeUnit.SECONDS);
        assertThat(second.isAlive()).isTrue();
        assertThat(Files.readString(log2)).as("the standby does not act").doesNotContain("holding the host lock", "action=");

        long killedAt = System.nanoTime();
        first.destroyForcibly();
        first.waitFor(30, TimeUnit.SECONDS);
        stack.writeDesired(desired("    a: {ref: HEAD}\n    b: {ref: HEAD}\n", "b", "a"));
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(20))
                .until(() -> Files.readString(log2).contains("holding the host lock"));
        long takeoverMillis = (System.nanoTime() - killedAt) / 1_000_000;
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(20)).untilAsserted(() -> {
            assertThat(stack.servedBy(stack.livePort)).isEqualTo("b");
            assertThat(stack.servedBy(stack.stagePort)).isEqualTo("a");
        });
        long swappedMillis = (System.nanoTime() - killedAt) / 1_000_000;
        System.out.printf("two operators: after SIGKILL of the holder, the standby held the lock in %d ms, live served b in %d ms%n",
                takeoverMillis, swappedMillis);
        assertThat(Files.readString(lockFile)).contains("\"command\":\"run\"", "\"pid\":" + second.pid() + ",");
        assertThat(Files.readString(log2)).doesNotContain("Exception");
        second.destroy();
        second.waitFor(30, TimeUnit.SECONDS);
    }

    private static Process start(Path log, String... args) throws java.io.IOException {
        Process process = stack.startRegent(log, args);
        started.add(process);
        return process;
    }

    /** GETs live and stage every 100 ms in the background, keeping every answer that is not the expected build. */
    static final class ServingWatch {
        private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        private final ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
        private final AtomicInteger checks = new AtomicInteger();

        ServingWatch(Stack stack, String live, String stage) {
            timer.scheduleWithFixedDelay(() -> {
                check(stack.get(stack.livePort, "/"), "live", live);
                check(stack.get(stack.stagePort, "/"), "stage", stage);
                checks.incrementAndGet();
            }, 0, 100, TimeUnit.MILLISECONDS);
        }

        private void check(Stack.Response response, String role, String build) {
            if (response.status() != 200 || !response.build().equals(build)) {
                problems.add(role + ": " + response.status() + " " + response.build() + " " + response.body());
            }
        }

        void stop() throws InterruptedException {
            timer.shutdown();
            timer.awaitTermination(30, TimeUnit.SECONDS);
        }

        List<String> problems() {
            return List.copyOf(problems);
        }

        int checks() {
            return checks.get();
        }
    }
}
