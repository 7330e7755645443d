package dev.regent.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keep-alive HTTP load on a loopback port with wrk, bounded by a duration, until {@link #stop()}.
 * A failed request is a socket error (connect, read, write, timeout) or a non-2xx/3xx answer.
 */
final class Load {
    private static final Pattern REQUESTS = Pattern.compile("(\\d+) requests in");
    private static final Pattern SOCKET_ERRORS =
            Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");
    private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");
    private static final Pattern P99 = Pattern.compile("\\n\\s*99%\\s+([0-9.]+)(us|ms|s)\\b");
    private final Process wrk;
    private final Path report;

    private Load(Process wrk, Path report) {
        this.wrk = wrk;
        this.report = report;
    }

    /** Starts wrk with {@code connections} connections on one thread; it ends by itself after {@code maxSeconds}. */
    static Load start(int port, String path, int connections, int maxSeconds) throws IOException {
        return start(List.of("http://127.0.0.1:" + port + path), connections, maxSeconds);
    }

    /** As {@link #start}, over HTTPS to a loopback port with {@code host} as the Host header (wrk does not verify certificates). */
    static Load startHttps(int port, String host, String path, int connections, int maxSeconds) throws IOException {
        return start(List.of("-H", "Host: " + host, "https://127.0.0.1:" + port + path), connections, maxSeconds);
    }

    private static Load start(List<String> target, int connections, int maxSeconds) throws IOException {
        Path report = Files.createTempFile("regent-load", ".txt");
        var command = new ArrayList<>(List.of("wrk", "-t1", "-c" + connections, "-d" + maxSeconds + "s", "--timeout", "5s",
                "--latency"));
        command.addAll(target);
        Process wrk = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(report.toFile()).start();
        return new Load(wrk, report);
    }

    boolean running() {
        return wrk.isAlive();
    }

    /** Stops wrk with SIGINT (it then prints its summary) and returns the counts. */
    Result stop() throws IOException, InterruptedException {
        if (wrk.isAlive()) {
            new ProcessBuilder("kill", "-INT", String.valueOf(wrk.pid())).start().waitFor();
        }
        if (!wrk.waitFor(30, TimeUnit.SECONDS)) {
            wrk.destroyForcibly();
        }
        String text = Files.readString(report, StandardCharsets.UTF_8);
        Files.deleteIfExists(report);
        return new Result(number(REQUESTS, text, 1), failures(text), text);
    }

    private static long failures(String text) {
        long failed = Math.max(0, number(NON_2XX, text, 1));
        Matcher socket = SOCKET_ERRORS.matcher(text);
        if (socket.find()) {
            for (int group = 1; group <= 4; group++) {
                failed += Long.parseLong(socket.group(group));
            }
        }
        return failed;
    }

    private static long number(Pattern pattern, String text, int group) {
        Matcher matcher = pattern.matcher(text);
        return matcher.find() ? Long.parseLong(matcher.group(group)) : -1;
    }

    /** requests is -1 when wrk printed no summary. */
    record Result(long requests, long failed, String report) {
        String line() {
            return requests + " requests, " + failed + " failed";
        }

        /** Requests that got an answer outside 2xx/3xx, without socket errors and timeouts; 0 when wrk printed none. */
        long failedAnswers() {
            return Math.max(0, number(NON_2XX, report, 1));
        }

        /** The 99th percentile latency in milliseconds from wrk's --latency distribution, or -1. */
        double p99Millis() {
            Matcher m = P99.matcher(report);
            if (!m.find()) {
                return -1;
            }
            double value = Double.parseDouble(m.group(1));
            return switch (m.group(2)) {
                case "us" -> value / 1000;
                case "s" -> value * 1000;
                default -> value;
            };
        }
    }
}
