package dev.regent.apply;

import dev.regent.docker.DockerPort.Container;
import dev.regent.docker.ExecResult;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One start of the web container, named by its PID 1's start time (field 22 of /proc/1/stat, in
 * clock ticks since the host booted): a restart keeps the container's id but not this. It tells a
 * build step that failed by itself from one the container's stop or restart killed.
 */
final class WebBoot {
    private WebBoot() {
    }

    /** This start of the web container, or empty if it does not answer. */
    static Optional<String> read(HostContext host) {
        try {
            ExecResult stat = host.execIn("web", List.of("cat", "/proc/1/stat"), Optional.empty(), Map.of(),
                    Duration.ofSeconds(10));
            return stat.ok() ? startTime(stat.output()) : Optional.empty();
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Field 22 of a /proc/PID/stat line; the command name (field 2) may hold spaces, so count after its ")". */
    static Optional<String> startTime(String stat) {
        int end = stat.lastIndexOf(')');
        if (end < 0) {
            return Optional.empty();
        }
        String[] fields = stat.substring(end + 1).trim().split("\\s+");
        return fields.length > 19 ? Optional.of(fields[19]) : Optional.empty();
    }

    /** Why a step that began in start {@code atStart} was cut short by the host, if it was. */
    static Optional<String> interruption(HostContext host, Optional<String> atStart) {
        boolean running;
        try {
            running = host.docker().find(host.project(), "web").map(Container::running).orElse(false);
        } catch (RuntimeException e) {
            return Optional.of("the Docker engine did not answer (" + e.getMessage() + ")");
        }
        if (!running) {
            return Optional.of("the web container stopped");
        }
        Optional<String> now = read(host);
        if (now.isEmpty()) {
            // Docker still says running while the container stops: its processes are already gone.
            return Optional.of("the web container did not answer (stopping or restarting)");
        }
        if (atStart.isPresent() && !atStart.equals(now)) {
            return Optional.of("the web container restarted");
        }
        return Optional.empty();
    }
}
