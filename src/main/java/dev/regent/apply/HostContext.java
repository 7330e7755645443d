package dev.regent.apply;

import dev.regent.docker.DockerPort;
import dev.regent.docker.DockerPort.Container;
import dev.regent.docker.ExecResult;
import dev.regent.fs.HostLayout;
import dev.regent.uwsgi.StatsReader;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The ports and settings every effect needs, for one compose project. */
public record HostContext(String project, HostLayout layout, DockerPort docker, StatsReader stats,
                          Clock clock, Waiter waiter, Timeouts timeouts, Optional<Path> followedRepo) {

    public HostContext(String project, HostLayout layout, DockerPort docker, StatsReader stats, Clock clock,
                       Waiter waiter, Timeouts timeouts) {
        this(project, layout, docker, stats, clock, waiter, timeouts, Optional.empty());
    }

    /** The local repository a build's source.repo names: "." is the followed repository's mirror, if any. */
    public Path sourceRepo(String repo) {
        return repo.equals(".") && followedRepo.isPresent() ? followedRepo.get() : layout.root().resolve(repo).normalize();
    }

    public ExecResult execIn(String service, List<String> command, Optional<String> workdir,
                             Map<String, String> env, Duration timeout) {
        Container container = docker.find(project, service)
                .filter(Container::running)
                .orElseThrow(() -> new IllegalStateException("the " + service + " container of compose project "
                        + project + " is not running"));
        return docker.exec(container, command, workdir, env, timeout);
    }

    /** Deadlines of the waits; each ends in a clear failure, never a hang. */
    public record Timeouts(Duration step, Duration processUp, Duration processDown, Duration healthy, Duration nginx) {
        public static Timeouts defaults() {
            return new Timeouts(Duration.ofMinutes(10), Duration.ofSeconds(60), Duration.ofSeconds(60),
                    Duration.ofSeconds(60), Duration.ofSeconds(20));
        }
    }
}
