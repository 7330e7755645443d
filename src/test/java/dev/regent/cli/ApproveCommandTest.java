package dev.regent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.regent.approval.Approvals;
import dev.regent.fs.HostFiles;
import dev.regent.fs.HostLayout;
import dev.regent.observe.BuildRecord;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** regent approve on a real host folder. */
class ApproveCommandTest {
    @TempDir
    Path root;

    int run(StringWriter out, String... args) {
        var all = new java.util.ArrayList<>(java.util.List.of("--root", root.toString()));
        all.addAll(java.util.List.of(args));
        return new CommandLine(new ApproveCommand()).setOut(new PrintWriter(out)).execute(all.toArray(String[]::new));
    }

    @Test
    void approvingRecordsTheBuildItsCommitWhoAndWhen() throws Exception {
        var layout = new HostLayout(root);
        Files.createDirectories(layout.build("b"));
        HostFiles.writeJson(layout.build("b").resolve(BuildRecord.FILE),
                new BuildRecord("b", "main", "c0ffee0123456789", "app", 2010, "b-1", Instant.now()));
        var out = new StringWriter();

        assertThat(run(out, "b", "--by", "alice")).isZero();
        var approval = Approvals.read(layout, "b").orElseThrow();
        assertThat(approval.commit()).isEqualTo("c0ffee0123456789");
        assertThat(approval.by()).isEqualTo("alice");
        assertThat(out.toString()).startsWith("approved build b (commit c0ffee012345) by alice at ");

        assertThat(run(new StringWriter(), "b")).isZero();
        assertThat(Approvals.read(layout, "b").orElseThrow().by()).isEqualTo(System.getProperty("user.name"));
    }

    @Test
    void aBuildThatIsNotOnTheHostIsNotApproved() {
        assertThat(run(new StringWriter(), "c", "--by", "alice")).isEqualTo(1);
        assertThat(run(new StringWriter(), "../x")).isEqualTo(1);
        assertThat(Approvals.file(new HostLayout(root))).doesNotExist();
    }
}
