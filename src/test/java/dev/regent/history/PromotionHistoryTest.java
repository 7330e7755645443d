package dev.regent.history;

import static org.assertj.core.api.Assertions.assertThat;

import dev.regent.approval.Approval;
import dev.regent.events.PromotionEvent;
import dev.regent.events.PromotionEvent.Kind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The promotion history on a real file: what an event becomes, restarts, trimming and concurrent appends. */
class PromotionHistoryTest {
    static final Instant T0 = Instant.parse("2026-11-28T14:00:00Z");

    @TempDir
    Path dir;

    Path file() {
        return dir.resolve("run").resolve(PromotionHistory.FILE);
    }

    PromotionHistory history() {
        return new PromotionHistory(file(), PromotionHistory.KEEP, revision -> Optional.empty(), build -> Optional.empty());
    }

    static PromotionEvent event(Kind kind, int n) {
        return new PromotionEvent(kind, T0.plusSeconds(n), "rev" + n, Optional.empty(), Optional.of("a"),
                Optional.of("b"), "git", Optional.of(Duration.ofMillis(812)), "reason " + n);
    }

    @Test
    void endedPromotionsAreEntriesWithEveryField() {
        var history = history();
        history.told(event(Kind.STARTED, 1));
        history.told(event(Kind.APPROVAL_WAITING, 1));
        history.told(event(Kind.SUCCEEDED, 1));
        history.told(event(Kind.FAILED, 2));
        history.told(event(Kind.ROLLED_BACK, 3));
        history.told(event(Kind.BUILD_FAILED, 4));

        List<HistoryEntry> entries = PromotionHistory.read(file(), 50);
        assertThat(entries).extracting(HistoryEntry::result)
                .containsExactly("succeeded", "failed", "rolled back", "failed");
        assertThat(entries.get(0)).isEqualTo(new HistoryEntry(T0.plusSeconds(1), "rev1", Optional.empty(),
                Optional.of("a"), Optional.of("b"), "git", Optional.of(812L), "succeeded", "reason 1"));
    }

    @Test
    void aNewInstanceOnTheSameFileKeepsTheHistory() {
        history().told(event(Kind.SUCCEEDED, 1));
        var restarted = history();
        restarted.told(event(Kind.SUCCEEDED, 2));

        assertThat(PromotionHistory.read(file(), 50)).extracting(HistoryEntry::revision).containsExactly("rev1", "rev2");
    }

    @Test
    void sixHundredAppendedKeepsAtLeastFiveHundredNewestLast() throws Exception {
        var history = history();
        for (int i = 0; i < 600; i++) {
            history.told(event(Kind.SUCCEEDED, i));
        }
        List<HistoryEntry> all = PromotionHistory.read(file(), 10_000);
        assertThat(all).hasSize(600);
        assertThat(PromotionHistory.read(file(), 50)).hasSize(50).last().extracting(HistoryEntry::revision).isEqualTo("rev599");

        for (int i = 600; i < 1001; i++) {
            history.told(event(Kind.SUCCEEDED, i));
        }
        List<HistoryEntry> trimmed = PromotionHistory.read(file(), 10_000);
        assertThat(trimmed).hasSizeBetween(500, 1000);
        assertThat(trimmed.get(trimmed.size() - 1).revision()).isEqualTo("rev1000");
        assertThat(trimmed.get(0).revision()).isEqualTo("rev" + (1001 - trimmed.size()));
        assertThat(Files.readAllLines(file())).hasSize(500);
    }

    @Test
    void concurrentAppendsLoseNothingAndMixNoLines() throws Exception {
        var history = history();
        var pool = Executors.newFixedThreadPool(8);
        try {
            var futures = new ArrayList<Future<?>>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 50; i++) {
                        history.told(event(Kind.SUCCEEDED, thread * 1000 + i));
                    }
                }));
            }
            for (var f : futures) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        List<HistoryEntry> entries = PromotionHistory.read(file(), 10_000);
        assertThat(entries).hasSize(400);
        assertThat(entries).extracting(HistoryEntry::revision).doesNotHaveDuplicates();
        assertThat(Files.readAllLines(file())).hasSize(400);
    }

    @Test
    void signerAndApproverAreFilledInWhenTheEventDoesNotSayThem() {
        var history = new PromotionHistory(file(), PromotionHistory.KEEP,
                revision -> Optional.ofNullable(Map.of("rev1", "Alice <alice@example.com>").get(revision)),
                build -> Optional.of(new Approval(build, "c0ffee", "bob", T0)));
        history.told(new PromotionEvent(Kind.SUCCEEDED, T0, "rev1", Optional.empty(), Optional.of("a"), Optional.of("b"),
                "approval", Optional.empty(), "promoted"));
        history.told(new PromotionEvent(Kind.SUCCEEDED, T0, "rev2", Optional.of("Carol"), Optional.of("b"),
                Optional.of("c"), "git", Optional.empty(), ""));

        List<HistoryEntry> entries = PromotionHistory.read(file(), 50);
        assertThat(entries.get(0).signer()).contains("Alice <alice@example.com>");
        assertThat(entries.get(0).reason()).isEqualTo("promoted; approved by bob at 2026-11-28T14:00:00Z");
        assertThat(entries.get(0).durationMillis()).isEmpty();
        assertThat(entries.get(1).signer()).contains("Carol");
        assertThat(entries.get(1).reason()).isEmpty();
    }

    @Test
    void anUnwritableHistoryDoesNotThrow() throws Exception {
        Files.createDirectories(file());
        history().told(event(Kind.SUCCEEDED, 1));
        assertThat(PromotionHistory.read(dir.resolve("none.jsonl"), 5)).isEmpty();
    }
}
