package dev.regent.gitops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.regent.reconcile.Outcome;
import dev.regent.spec.SpecError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real git repository in a temp folder, followed through a real bare mirror. */
class GitFollowerTest {
    static final String GOOD = """
            apiVersion: regent/v1
            kind: Host
            metadata: {name: demo}
            spec:
              source: {repo: ., path: app}
              builds:
                a: {ref: HEAD}
                b: {ref: HEAD}
              live: LIVE
              stage: STAGE
            """;
    @TempDir
    Path folder;
    Path upstream;
    Git git;
    GitFollower follower;
    List<SpecError> rejected = new ArrayList<>();

    @BeforeEach
    void repository() throws Exception {
        upstream = folder.resolve("upstream");
        git = Git.init().setDirectory(upstream.toFile()).setInitialBranch("main").call();
        var source = new GitSource(upstream.toString(), Optional.of("main"), folder.resolve("host/deploy/git/m.git"), Duration.ofSeconds(10));
        follower = new GitFollower(source, "desired-state.yaml", folder.resolve("host/deploy/run/gitops.json"),
                Clock.systemUTC(), rejected::addAll, Optional.empty());
    }

    String commit(String text) throws Exception {
        Files.writeString(upstream.resolve("desired-state.yaml"), text);
        git.add().addFilepattern("desired-state.yaml").call();
        return git.commit().setMessage("edit").setAuthor("t", "t@t").setCommitter("t", "t@t").call().getName();
    }

    static String roles(String live, String stage) {
        return GOOD.replace("LIVE", live).replace("STAGE", stage);
    }

    @Test
    void aNewValidCommitIsOfferedAndRecordedAsAppliedOnceConverged() throws Exception {
        String first = commit(roles("a", "b"));

        Revision revision = follower.current().orElseThrow();
        follower.reconciled(revision, new Outcome.Converged(3));

        assertThat(revision.id()).isEqualTo(first);
        assertThat(revision.state().live()).contains("a");
        assertThat(follower.status().applied()).contains(first);
        assertThat(follower.status().fetchError()).isEmpty();
    }

    @Test
    void anInvalidCommitIsRejectedWithItsRevisionAndTheLastGoodStateStays() throws Exception {
        String good = commit(roles("a", "b"));
        follower.reconciled(follower.current().orElseThrow(), new Outcome.Converged(1));
        String bad = commit(roles("a", "a"));

        Revision kept = follower.current().orElseThrow();
        follower.reconciled(kept, new Outcome.Converged(0));

        assertThat(kept.id()).isEqualTo(good);
        assertThat(follower.status().attempted()).contains(bad);
        assertThat(follower.status().applied()).contains(good);
        assertThat(follower.status().reason()).get().asString().contains("desired-state.yaml@" + bad.substring(0, 12));
        assertThat(rejected).extracting(SpecError::field).contains("spec.stage");
    }

    @Test
    void aNewerCommitReplacesAFailingOneAtOnce() throws Exception {
        commit(roles("a", "b"));
        Revision failing = follower.current().orElseThrow();
        follower.reconciled(failing, new Outcome.Failed("create build b", "step failed", false, 1));
        String fix = commit(roles("b", "a"));

        Revision next = follower.current().orElseThrow();

        assertThat(next.id()).isEqualTo(fix);
        assertThat(follower.status().attempted()).contains(failing.id());
    }

    @Test
    void anUnreachableRemoteIsReportedAndTheLastGoodStateStays() throws Exception {
        String good = commit(roles("a", "b"));
        follower.reconciled(follower.current().orElseThrow(), new Outcome.Converged(1));
        Files.move(upstream.resolve(".git"), upstream.resolve(".git-away"));

        Optional<Revision> kept = follower.current();

        assertThat(kept).map(Revision::id).contains(good);
        assertThat(follower.status().fetchError()).get().asString().contains("could not fetch main");

        Files.move(upstream.resolve(".git-away"), upstream.resolve(".git"));
        follower.current();
        assertThat(follower.status().fetchError()).isEmpty();
    }

    @Test
    void withTrustedKeysAnUnsignedCommitIsRefusedAndNothingIsOffered() throws Exception {
        Path home = folder.resolve("gnupg");
        Files.createDirectories(home);
        Files.setPosixFilePermissions(home, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        gpg(home, "--batch", "--pinentry-mode", "loopback", "--passphrase", "", "--quick-gen-key", "R <r@regent.test>",
                "ed25519", "sign", "never");
        Path keyring = folder.resolve("keys.asc");
        Files.writeString(keyring, gpg(home, "--batch", "--armor", "--export"));
        var source = new GitSource(upstream.toString(), Optional.of("main"), folder.resolve("host2/deploy/git/m.git"), Duration.ofSeconds(10));
        var strict = new GitFollower(source, "desired-state.yaml", folder.resolve("host2/deploy/run/gitops.json"),
                Clock.systemUTC(), rejected::addAll, Optional.of(SignatureCheck.fromKeyring(keyring)));
        String unsigned = commit(roles("a", "b"));

        assertThat(strict.current()).isEmpty();
        assertThat(strict.status().attempted()).contains(unsigned);
        assertThat(strict.status().reason()).contains("signature refused: the commit is not signed");
    }

    private static String gpg(Path home, String... args) throws Exception {
        var command = new ArrayList<String>(List.of("gpg"));
        command.addAll(List.of(args));
        var builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("GNUPGHOME", home.toString());
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(process.waitFor()).isZero();
        return out;
    }
}
