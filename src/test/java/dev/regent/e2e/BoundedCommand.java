package dev.regent.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a command to its end or to a time limit, whichever comes first. Its output goes to a file,
 * never a pipe, so a process (or a child it left behind) that keeps its output open cannot make
 * the wait outlast the limit; past the limit the whole process tree is killed and the run fails.
 */
final class BoundedCommand {
    private BoundedCommand() {
    }

    record Result(int exit, String output) {
    }

    /** The command's exit code and output; throws {@link TimedOut} when it ran past {@code limit}. */
    static Result run(Path dir, List<String> command, Map<String, String> env, Duration limit) {
        Path output = null;
        try {
            output = Files.createTempFile("regent-command-", ".out");
            var builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(output.toFile());
            builder.environment().putAll(env);
            Process process = builder.start();
            if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor();
                throw new TimedOut(command, limit, Files.readString(output, StandardCharsets.UTF_8));
            }
            return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + String.join(" ", command), e);
        } finally {
            if (output != null) {
                try {
                    Files.deleteIfExists(output);
                } catch (IOException ignored) {
                    // a leftover temp file is harmless
                }
            }
        }
    }

    /** A command that did not end within its limit; it has been killed with its children. */
    static final class TimedOut extends IllegalStateException {
        TimedOut(List<String> command, Duration limit, String output) {
            super("`" + String.join(" ", command) + "` did not end within " + limit.toMillis() + " ms and was killed;"
                    + " its output so far:\n" + output);
        }
    }
}
