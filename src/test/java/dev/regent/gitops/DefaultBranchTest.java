package dev.regent.gitops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.Repository;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Without --branch, the branch the remote's HEAD names is followed, as Argo CD does; a real repository whose default is master. */
class DefaultBranchTest {
    @TempDir
    Path folder;
    Path upstream;
    Git git;

    @BeforeEach
    void repository() throws Exception {
        upstream = folder.resolve("upstream");
        git = Git.init().setDirectory(upstream.toFile()).setInitialBranch("master").call();
    }

    String commit(String live) throws Exception {
        Files.writeString(upstream.resolve("desired-state.yaml"), GitFollowerTest.roles(live, live.equals("a") ? "b" : "a"));
        git.add().addFilepattern("desired-state.yaml").call();
        return git.commit().setMessage("live " + live).setAuthor("t", "t@t").setCommitter("t", "t@t").call().getName();
    }

    GitFollower follower(Optional<String> branch) {
        var source = new GitSource(upstream.toString(), branch, folder.resolve("host/deploy/git/m.git"), Duration.ofSeconds(10));
        return new GitFollower(source, "desired-state.yaml", folder.resolve("host/deploy/run/gitops.json"),
                Clock.systemUTC(), errors -> { }, Optional.empty());
    }

    @Test
    void withoutABranchTheRemotesDefaultBranchIsFollowedAndReported() throws Exception {
        String head = commit("a");
        GitFollower follower = follower(Optional.empty());

        Optional<Revision> revision = follower.current();

        assertThat(follower.status().fetchError()).isEmpty();
        assertThat(revision).map(Revision::id).contains(head);
        assertThat(follower.status().branch()).isEqualTo("master");
        assertThat(SyncStatus.read(folder.resolve("host/deploy/run"))).map(SyncStatus::branch).contains("master");
        try (Repository mirror = Git.open(folder.resolve("host/deploy/git/m.git").toFile()).getRepository()) {
            assertThat(mirror.exactRef(Constants.HEAD).getTarget().getName()).isEqualTo("refs/heads/master");
        }
    }

    @Test
    void whenTheRemotesDefaultBranchChangesTheNextFetchFollowsTheNewOne() throws Exception {
        commit("a");
        GitFollower follower = follower(Optional.empty());
        follower.current();
        // At the same commit as master: only HEAD's symbolic target tells them apart.
        git.checkout().setCreateBranch(true).setName("trunk").call();

        follower.current();
        assertThat(follower.status().branch()).isEqualTo("trunk");

        String trunk = commit("b");
        assertThat(follower.current()).map(Revision::id).contains(trunk);
    }

    @Test
    void aBranchGivenIsFollowedEvenWhenItIsNotTheDefault() throws Exception {
        String master = commit("a");
        git.checkout().setCreateBranch(true).setName("release").call();
        String release = commit("b");
        git.checkout().setName("master").call();

        GitFollower follower = follower(Optional.of("release"));

        assertThat(follower.current()).map(Revision::id).contains(release).isNotEqualTo(Optional.of(master));
        assertThat(follower.status().branch()).isEqualTo("release");
    }
}
