package dev.regent.approval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.regent.fs.HostFiles;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An approval written by another process (regent approve) wakes the loop; other files in deploy/run do not. */
class ApprovalWatchTest {
    @TempDir
    Path run;

    @Test
    void writingApprovalsJsonWakesTheLoop() throws Exception {
        var woken = new CopyOnWriteArrayList<String>();
        try (var watch = new ApprovalWatch(run, woken::add)) {
            HostFiles.writeJson(run.resolve("last-reconcile.json"), List.of());
            HostFiles.writeJson(run.resolve(Approvals.FILE), List.of(new Approval("b", "c0ffee", "alice", Instant.now())));

            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(woken).isNotEmpty());
            assertThat(woken).allMatch("a build was approved"::equals);
        }
    }
}
