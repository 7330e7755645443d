package dev.regent.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** What the bad-input corpus test needs beyond Stack: a snapshot of deploy/ and a bounded jar run. */
final class CorpusHarness {
    private static final Path GNU_TIME = Path.of("/usr/bin/time");
    /** nginx's traffic log grows with every request, the harness's own probes included. */
    private static final String TRAFFIC_LOG = "run/traffic/";

    private CorpusHarness() {
    }

    /** One finished (or killed) run; {@code maxRssKb} is -1 when /usr/bin/time is not there to measure it. */
    record Run(int exit, String output, long millis, long maxRssKb, boolean timedOut) {
    }

    /**
     * Every path under {@code root} (not following links) with its type, permissions and what it
     * holds: a SHA-256 of a file's bytes, a link's target. Sockets, and nginx's traffic
     * log (deploy/run/traffic/), are kept by path and mode only.
     */
    static Map<String, String> snapshot(Path root) {
        Map<String, String> entries = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.toList()) {
                String relative = root.relativize(path).toString();
                String mode = Files.isSymbolicLink(path) ? "" : PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
                if (Files.isSymbolicLink(path)) {
                    entries.put(relative, "link -> " + Files.readSymbolicLink(path));
                } else if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                    entries.put(relative, "dir " + mode);
                } else if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS) && relative.startsWith(TRAFFIC_LOG)) {
                    entries.put(relative, "log " + mode);
                } else if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
                    entries.put(relative, "file " + mode + " " + sha256(path));
                } else {
                    entries.put(relative, "other " + mode);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return entries;
    }

    /** The paths whose entry differs between two snapshots, each with both sides. */
    static List<String> differences(Map<String, String> before, Map<String, String> after) {
        Set<String> paths = new TreeSet<>(before.keySet());
        paths.addAll(after.keySet());
        List<String> out = new ArrayList<>();
        for (String path : paths) {
            String was = before.getOrDefault(path, "(absent)");
            String is = after.getOrDefault(path, "(absent)");
            if (!was.equals(is)) {
                out.add(path + ": " + was + " => " + is);
            }
        }
        return out;
    }

    private static String sha256(Path file) throws IOException {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            try (InputStream in = Files.newInputStream(file)) {
                byte[] buffer = new byte[65536];
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    digest.update(buffer, 0, n);
                }
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Runs {@code command} in {@code dir} with {@code env} added, output to a file so a chatty or
     * hung process cannot block the test; past {@code limit} the process tree is killed.
     */
    static Run run(Path dir, List<String> command, Map<String, String> env, Duration limit) {
        try {
            Path output = Files.createTempFile("regent-corpus-", ".out");
            Path rss = Files.createTempFile("regent-corpus-", ".rss");
            List<String> full = new ArrayList<>();
            if (Files.isExecutable(GNU_TIME)) {
                full.addAll(List.of(GNU_TIME.toString(), "-o", rss.toString(), "-f", "%M"));
            }
            full.addAll(command);
            var builder = new ProcessBuilder(full).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(output.toFile());
            builder.environment().putAll(env);
            long start = System.nanoTime();
            Process process = builder.start();
            boolean finished = process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            if (!finished) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor();
            }
            String text = new String(Files.readAllBytes(output), StandardCharsets.UTF_8);
            // GNU time writes "Command exited with non-zero status N" before the figure.
            String measured = Files.readString(rss).strip().replaceAll("(?s).*\n", "");
            long maxRss = measured.matches("\\d+") ? Long.parseLong(measured) : -1;
            Files.deleteIfExists(output);
            Files.deleteIfExists(rss);
            return new Run(finished ? process.exitValue() : -1, text, millis, maxRss, !finished);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
