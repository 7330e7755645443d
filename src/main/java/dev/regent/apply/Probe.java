package dev.regent.apply;

import dev.regent.docker.ExecResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * HTTP checks made from inside a container (docker exec + curl), so the operator reaches build
 * ports through the container's own loopback wherever the operator runs.
 */
public final class Probe {
    private static final int WARM_UP_REQUESTS = 32;
    private final HostContext host;

    public Probe(HostContext host) {
        this.host = host;
    }

    /** Status code and X-Regent-Build header of one GET, or empty if nothing answered. */
    public Optional<Answer> get(String service, String url) {
        ExecResult result = host.execIn(service, List.of("curl", "-s", "-o", "/dev/null", "--max-time", "5",
                "-w", "%{http_code} %header{x-regent-build}", url), Optional.empty(), Map.of(), Duration.ofSeconds(10));
        String[] parts = result.output().strip().split(" ", 2);
        try {
            int status = Integer.parseInt(parts[0]);
            return status == 0 ? Optional.empty() : Optional.of(new Answer(status, parts.length > 1 ? parts[1].strip() : ""));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Concurrent requests to the build's own port, as the seed's warm-up; returns how many got 2xx/3xx. */
    public int warmUp(int port, String path) {
        var command = new ArrayList<>(List.of("curl", "-s", "--no-progress-meter", "--parallel", "--parallel-max", "8", "--max-time", "20",
                "-w", "%{http_code}\\n"));
        for (int i = 0; i < WARM_UP_REQUESTS; i++) {
            command.addAll(List.of("-o", "/dev/null", "http://127.0.0.1:" + port + path));
        }
        ExecResult result = host.execIn("web", command, Optional.empty(), Map.of(), Duration.ofSeconds(60));
        return (int) result.output().lines().filter(l -> l.matches("[23]\\d\\d")).count();
    }

    /** The status of {@code n} GETs in a row to the build's own port (0: no answer). */
    public List<Integer> statuses(int port, String path, int n) {
        var command = new ArrayList<>(List.of("curl", "-s", "--no-progress-meter", "--max-time", "10", "-w", "%{http_code}\\n"));
        for (int i = 0; i < n; i++) {
            command.addAll(List.of("-o", "/dev/null", "http://127.0.0.1:" + port + path));
        }
        ExecResult result = host.execIn("web", command, Optional.empty(), Map.of(), Duration.ofSeconds(10L * n + 10));
        List<Integer> statuses = new ArrayList<>();
        result.output().lines().map(String::strip).filter(l -> l.matches("\\d{3}")).forEach(l -> statuses.add(Integer.parseInt(l)));
        while (statuses.size() < n) {
            statuses.add(0);
        }
        return statuses;
    }

    public record Answer(int status, String build) {
        public boolean ok() {
            return status >= 200 && status < 400;
        }
    }
}
