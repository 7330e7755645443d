package dev.regent.gitops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.ObjectId;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real keys from GnuPG, real commits signed by real git, checked by Regent. */
class SignatureCheckTest {
    @TempDir
    Path folder;
    Path repo;
    Path trustedHome;
    Path strangerHome;
    Path keyring;

    @BeforeEach
    void keysAndRepository() throws Exception {
        trustedHome = gnupgHome("trusted", "Release Manager <release@regent.test>");
        strangerHome = gnupgHome("stranger", "Stranger <stranger@regent.test>");
        keyring = folder.resolve("trusted-keys.asc");
        Files.writeString(keyring, run(trustedHome, folder, "gpg", "--batch", "--armor", "--export"));
        repo = folder.resolve("repo");
        Files.createDirectories(repo);
        run(trustedHome, repo, "git", "init", "-q", "-b", "main");
    }

    @Test
    void aCommitSignedByATrustedKeyPasses() throws Exception {
        String commit = commit(trustedHome, true, "signed");
        assertThat(SignatureCheck.fromKeyring(keyring).reject(raw(commit))).isEmpty();
    }

    @Test
    void theSignerIsNamedByTheTrustedKeysUserIdOnlyWhenItVerifies() throws Exception {
        var check = SignatureCheck.fromKeyring(keyring);
        String signed = commit(trustedHome, true, "signed");
        String stranger = commit(strangerHome, true, "by a stranger");
        String unsigned = commit(trustedHome, false, "unsigned");

        assertThat(check.signer(raw(signed))).get().asString().startsWith("Release Manager <release@regent.test> (key ");
        assertThat(check.signer(raw(stranger))).isEmpty();
        assertThat(SignatureCheck.signingKey(raw(stranger))).isPresent();
        assertThat(check.signer(raw(unsigned))).isEmpty();
        assertThat(SignatureCheck.signingKey(raw(unsigned))).isEmpty();
    }

    @Test
    void anUnsignedCommitIsRefused() throws Exception {
        String commit = commit(trustedHome, false, "unsigned");
        assertThat(SignatureCheck.fromKeyring(keyring).reject(raw(commit))).contains("the commit is not signed");
    }

    @Test
    void aCommitSignedByAnUnknownKeyIsRefused() throws Exception {
        String commit = commit(strangerHome, true, "by a stranger");
        assertThat(SignatureCheck.fromKeyring(keyring).reject(raw(commit))).get().asString()
                .contains("not among the trusted keys");
    }

    @Test
    void aCommitWhoseContentNoLongerMatchesItsSignatureIsRefused() throws Exception {
        String commit = commit(trustedHome, true, "original message");
        byte[] tampered = new String(raw(commit), StandardCharsets.UTF_8).replace("original message", "forged message")
                .getBytes(StandardCharsets.UTF_8);
        assertThat(SignatureCheck.fromKeyring(keyring).reject(tampered)).get().asString().contains("does not match");
    }

    private String commit(Path home, boolean sign, String message) throws Exception {
        Files.writeString(repo.resolve("desired-state.yaml"), message + "\n");
        run(home, repo, "git", "add", "desired-state.yaml");
        String signer = home.equals(trustedHome) ? "release@regent.test" : "stranger@regent.test";
        var args = new ArrayList<>(List.of("git", "-c", "user.name=Release", "-c", "user.email=release@regent.test",
                "-c", "gpg.program=gpg", "-c", "user.signingkey=" + signer, "commit", "-q", "-m", message));
        if (sign) {
            args.add("-S");
        }
        run(home, repo, args.toArray(String[]::new));
        return run(home, repo, "git", "rev-parse", "HEAD").strip();
    }

    private byte[] raw(String commit) throws IOException {
        try (Git git = Git.open(repo.toFile())) {
            return git.getRepository().open(ObjectId.fromString(commit)).getBytes();
        }
    }

    private Path gnupgHome(String name, String userId) throws Exception {
        Path home = folder.resolve(name + "-gnupg");
        Files.createDirectories(home);
        Files.setPosixFilePermissions(home, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        run(home, folder, "gpg", "--batch", "--pinentry-mode", "loopback", "--passphrase", "",
                "--quick-gen-key", userId, "ed25519", "sign", "never");
        return home;
    }

    private static String run(Path gnupgHome, Path dir, String... command) throws Exception {
        var builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().put("GNUPGHOME", gnupgHome.toString());
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(String.join(" ", command) + ":\n" + output).isZero();
        return output;
    }
}
