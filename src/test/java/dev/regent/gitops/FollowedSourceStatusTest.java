package dev.regent.gitops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.regent.fs.HostFiles;
import dev.regent.fs.HostLayout;
import dev.regent.observe.ObservedHost;
import dev.regent.observe.Observer;
import dev.regent.reconcile.Outcome;
import dev.regent.server.StatusReport;
import dev.regent.uwsgi.StatsReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Status shows what the running loop follows: no git sync of an earlier `run --git` once the file is followed. */
class FollowedSourceStatusTest {
    @TempDir
    Path folder;

    @Test
    void afterGoingBackToTheFileStatusShowsNoGitSourceOfAnEarlierRun() throws Exception {
        var layout = new HostLayout(folder.resolve("host"));
        Path upstream = folder.resolve("upstream");
        try (Git git = Git.init().setDirectory(upstream.toFile()).setInitialBranch("main").call()) {
            Files.writeString(upstream.resolve("desired-state.yaml"), GitFollowerTest.roles("a", "b"));
            git.add().addFilepattern("desired-state.yaml").call();
            git.commit().setMessage("first").setAuthor("t", "t@t").setCommitter("t", "t@t").call();
        }
        var earlier = new GitFollower(new GitSource(upstream.toString(), Optional.empty(),
                layout.root().resolve("deploy/git/m.git"), Duration.ofSeconds(10)), "desired-state.yaml",
                layout.run().resolve(SyncStatus.FILE), Clock.systemUTC(), errors -> { }, Optional.empty());
        earlier.reconciled(earlier.current().orElseThrow(), new Outcome.Converged(1));
        assertThat(report(layout, earlier.current().orElseThrow()).path("sync").path("source").asText())
                .isEqualTo(upstream.toString());
        Path file = layout.root().resolve("desired-state.yaml");
        Files.writeString(file, GitFollowerTest.roles("b", "a"));

        Revision followed = new FileSource(file, layout.run(), errors -> { }).current().orElseThrow();

        assertThat(SyncStatus.read(layout.run())).isEmpty();
        ObjectNode status = report(layout, followed);
        assertThat(status.path("sync").isNull()).as(status.toPrettyString()).isTrue();
        assertThat(status.path("desiredLive").asText()).isEqualTo("b");
    }

    @Test
    void aStatusFileAnOlderRegentWroteWithCredentialsIsShownRedacted() {
        var run = folder.resolve("deploy/run");
        HostFiles.writeJson(run.resolve(SyncStatus.FILE), new SyncStatus("https://u:t0ken@host/r.git", "main",
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.of("could not fetch main from https://u:t0ken@host/r.git: refused")));

        SyncStatus shown = SyncStatus.read(run).orElseThrow();

        assertThat(shown.source()).isEqualTo("https://u:***@host/r.git");
        assertThat(shown.fetchError()).contains("could not fetch main from https://u:***@host/r.git: refused");
    }

    /** What /api/status answers (the server writes this node as it is). */
    private static ObjectNode report(HostLayout layout, Revision revision) {
        var observer = new Observer(layout, new dev.regent.docker.NoDocker(), new StatsReader(Duration.ofMillis(100)));
        return new StatusReport(() -> Optional.of(revision),
                d -> observer.observeFiles(new ObservedHost.Containers(true, true)), layout, Clock.systemUTC()).json();
    }
}
