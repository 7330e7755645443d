package dev.regent.docker;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A Docker with no containers that refuses every exec: for code that must only read the host's files. */
public final class NoDocker implements DockerPort {
    public Optional<Container> find(String project, String service) {
        return Optional.empty();
    }

    public ExecResult exec(Container container, List<String> command, Optional<String> workdir,
                           Map<String, String> env, Duration timeout) {
        throw new UnsupportedOperationException("no docker exec expected here: " + String.join(" ", command));
    }
}
