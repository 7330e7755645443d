package dev.regent.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.regent.fs.HostLayout;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The database password file is ignored by the project's own .gitignore, so "git add -A" never commits it. */
class SecretsNotInGitTest {
    static final Path PROJECT = Path.of(System.getProperty("user.dir")).toAbsolutePath();

    @Test
    void thePasswordFileIsIgnoredByGit() throws Exception {
        // check-ignore judges the path by the ignore rules, whether or not the file exists yet.
        String relative = PROJECT.relativize(DatabaseCredentials.passwordFile(new HostLayout(PROJECT))).toString();

        assertThat(relative).isEqualTo("deploy/secrets/db-password");
        assertThat(git("check-ignore", "-q", "--no-index", relative)).as("git check-ignore " + relative).isZero();
        assertThat(git("ls-files", "--error-unmatch", relative)).as("tracked by git").isNotZero();
    }

    private static int git(String... args) throws IOException, InterruptedException {
        var command = new ArrayList<>(List.of("git", "-C", PROJECT.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return process.exitValue();
    }
}
