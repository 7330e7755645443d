package dev.regent.approval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.regent.fs.HostFiles;
import dev.regent.fs.HostLayout;
import dev.regent.observe.BuildRecord;
import dev.regent.time.FakeClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** deploy/run/approvals.json written and read on a real folder. */
class ApprovalsTest {
    @TempDir
    Path root;

    void built(HostLayout layout, String build, String commit) throws Exception {
        Files.createDirectories(layout.build(build));
        HostFiles.writeJson(layout.build(build).resolve(BuildRecord.FILE),
                new BuildRecord(build, "main", commit, "app", 2010, build + "-1", Instant.now()));
    }

    @Test
    void eachBuildKeepsItsNewestApproval() throws Exception {
        var layout = new HostLayout(root);
        var clock = new FakeClock(Instant.parse("2026-11-28T14:00:00Z"));
        built(layout, "b", "commit-b");
        built(layout, "c", "commit-c");

        Approvals.approve(layout, "b", "alice", clock);
        clock.advance(Duration.ofMinutes(1));
        Approvals.approve(layout, "c", "bob", clock);
        clock.advance(Duration.ofMinutes(1));
        Approvals.approve(layout, "b", "carol", clock);

        assertThat(Approvals.read(layout, "b")).contains(new Approval("b", "commit-b", "carol",
                Instant.parse("2026-11-28T14:02:00Z")));
        assertThat(Approvals.read(layout, "c").orElseThrow().by()).isEqualTo("bob");
        assertThat(Approvals.read(layout, "d")).isEmpty();
        assertThat(Approvals.all(layout)).hasSize(2);
    }

    @Test
    void aSingleObjectReadsAndAnUnreadableFileApprovesNothing() throws Exception {
        var layout = new HostLayout(root);
        Files.createDirectories(layout.run());
        Files.writeString(Approvals.file(layout),
                "{\"build\": \"b\", \"commit\": \"c0ffee\", \"by\": \"alice\", \"at\": \"2026-11-28T14:01:00Z\"}");
        assertThat(Approvals.read(layout, "b").orElseThrow().by()).isEqualTo("alice");

        Files.writeString(Approvals.file(layout), "[{\"build\": \"b\"");
        assertThat(Approvals.read(layout, "b")).isEmpty();
        Files.writeString(Approvals.file(layout), "[{\"build\": \"b\", \"by\": \"alice\"}]");
        assertThat(Approvals.read(layout, "b")).isEmpty();
    }
}
