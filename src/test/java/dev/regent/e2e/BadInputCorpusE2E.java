package dev.regent.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every file of the bad-input corpus, fed to the real jar on a real converged stack: `regent
 * validate` and `regent apply` exit 2 naming file, line and field, within a time and heap bound,
 * and afterwards the whole deploy/ tree is byte for byte the same and live still serves build a.
 */
class BadInputCorpusE2E {
    /** A converged `regent apply` of the valid file needs -Xmx16m (12m runs out); this is a bit above. */
    static final String HEAP = "-Xmx24m";
    /**
     * Catches a hang only: a run is a JVM start (1-5 s on an idle host) plus a few ms of parsing; at a
     * load average of 14 one `validate` took 27.8 s, so the bound leaves room for a busy machine.
     */
    static final Duration HANG = Duration.ofSeconds(45);
    /**
     * Nothing under deploy/ is skipped for a rejected file: it never reaches the host lock or any
     * build, and a GET to live or stage writes nothing there. Only the valid control run takes the
     * lock, which rewrites its holder line (pid) in run/regent.lock on every acquisition.
     */
    static final Set<String> LOCK = Set.of("run/regent.lock");
    static Stack stack;
    static String valid;
    /** deploy/ as the converged valid file left it, taken by each test at its start. */
    static Map<String, String> converged;
    static final List<String> rows = Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    static void start() {
        try {
            stack = Stack.convergedAB();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        valid = stack.desired();
        assertThat(stack.servedBy(stack.livePort)).isEqualTo("a");
        converged = deploy();
    }

    @AfterAll
    static void stop() {
        System.out.println(table());
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void theCorpusIsComplete() {
        List<BadInputs.Entry> entries = BadInputs.entries();
        assertThat(entries).hasSizeGreaterThanOrEqualTo(30);
        assertThat(entries.stream().filter(e -> !e.generated()).map(BadInputs.Entry::name))
                .containsExactlyInAnyOrderElementsOf(BadInputs.storedNames());
    }

    @TestFactory
    Stream<DynamicTest> eachBadInputIsRejectedAndChangesNothing() {
        stack.writeDesired(valid);
        Map<String, String> converged = deploy();
        BadInputCorpusE2E.converged = converged;
        return BadInputs.entries().stream().map(entry -> DynamicTest.dynamicTest(entry.name(), () -> {
            Files.write(stack.root.resolve("desired-state.yaml"), BadInputs.bytes(entry, stack.project));
            for (String verb : List.of("validate", "apply")) {
                var run = regent(verb);
                rows.add(row(entry.name(), verb, run));
                assertRejected(entry, verb, run);
            }
            assertThat(CorpusHarness.differences(converged, deploy())).as("deploy/ after " + entry.name()).isEmpty();
            assertThat(stack.get(stack.livePort, "/").build()).as("live after " + entry.name()).isEqualTo("a");
            assertThat(stack.get(stack.stagePort, "/").build()).as("stage after " + entry.name()).isEqualTo("b");
        }));
    }

    /** The control: the same heap bound is enough for the valid file, so the rejections are not heap failures. */
    @Test
    void theValidFileStillRunsWithinTheSameBounds() {
        stack.writeDesired(valid);
        Map<String, String> converged = deploy();
        BadInputCorpusE2E.converged = converged;

        var check = regent("validate");
        var apply = regent("apply");
        rows.add(row("(valid file)", "validate", check));
        rows.add(row("(valid file)", "apply", apply));

        assertThat(check.exit()).as(check.output()).isZero();
        assertThat(apply.exit()).as(apply.output()).isZero();
        assertThat(apply.output()).contains("Converged (0 action(s) applied)");
        assertThat(CorpusHarness.differences(converged, deploy())).allMatch(d -> LOCK.stream().anyMatch(
                lock -> d.startsWith(lock + ": ")));
    }

    static void assertRejected(BadInputs.Entry entry, String verb, CorpusHarness.Run run) {
        String what = verb + " " + entry.name() + ":\n" + run.output();
        assertThat(run.timedOut()).as("hung: " + what).isFalse();
        assertThat(run.output()).as(what).doesNotContain("OutOfMemoryError", "Exception", "\tat ");
        assertThat(run.exit()).as(what).isEqualTo(2);
        String where = "desired-state.yaml:" + entry.line() + ":";
        String field = entry.field().isEmpty() ? "" : ": " + entry.field() + ": ";
        assertThat(run.output().lines()).as(what)
                .anyMatch(l -> l.contains(where) && l.contains(field) && l.contains(entry.fragment()));
        assertThat(run.millis()).as(what).isLessThan(HANG.toMillis());
    }

    static CorpusHarness.Run regent(String verb) {
        Path file = stack.root.resolve("desired-state.yaml");
        var command = new ArrayList<>(List.of("java", HEAP, "-XX:+ExitOnOutOfMemoryError", "-jar",
                Stack.JAR.toString(), verb));
        command.addAll(verb.equals("validate") ? List.of(file.toString())
                : List.of("--root", stack.root.toString(), "--file", file.toString()));
        return CorpusHarness.run(stack.root, command, Map.of(
                "REGENT_LIVE_PORT", String.valueOf(stack.livePort),
                "REGENT_STAGE_PORT", String.valueOf(stack.stagePort)), HANG.plusSeconds(10));
    }

    static Map<String, String> deploy() {
        return CorpusHarness.snapshot(stack.root.resolve("deploy"));
    }

    static String row(String name, String verb, CorpusHarness.Run run) {
        String first = run.output().lines().filter(l -> l.contains("desired-state.yaml:")).findFirst()
                .orElse(run.output().lines().findFirst().orElse("")).strip();
        first = first.replaceFirst("^\\S*/desired-state\\.yaml", "desired-state.yaml");
        return String.format("| %-36s | %-8s | %4d | %6d | %7s | %s |", name, verb, run.exit(), run.millis(),
                run.maxRssKb() < 0 ? "-" : String.valueOf(run.maxRssKb() / 1024), first);
    }

    static String table() {
        var out = new StringBuilder("\nBad-input corpus, heap " + HEAP + ", hang bound " + HANG.toSeconds() + " s, deploy/ "
                + (converged == null ? 0 : converged.size()) + " paths checked after each file\n");
        out.append(String.format("| %-36s | %-8s | %4s | %6s | %7s | %s |%n", "file", "verb", "exit", "ms", "RSS MiB",
                "first error line"));
        rows.forEach(r -> out.append(r).append('\n'));
        for (String verb : List.of("validate", "apply")) {
            List<String[]> rejected = rows.stream().map(r -> r.split("\\|")).filter(c -> c[2].strip().equals(verb))
                    .filter(c -> !c[1].contains("(valid file)")).toList();
            List<Long> ms = rejected.stream().map(c -> Long.parseLong(c[4].strip())).sorted().toList();
            long rss = rejected.stream().map(c -> c[5].strip()).filter(r -> r.matches("\\d+")).mapToLong(Long::parseLong)
                    .max().orElse(-1);
            if (!ms.isEmpty()) {
                out.append(String.format("rejected by %s: %d runs, median %d ms, max %d ms, max RSS %s MiB%n", verb,
                        ms.size(), ms.get(ms.size() / 2), ms.get(ms.size() - 1), rss < 0 ? "-" : String.valueOf(rss)));
            }
        }
        return out.toString();
    }
}
