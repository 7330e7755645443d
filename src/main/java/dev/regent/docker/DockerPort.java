package dev.regent.docker;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The little of Docker that Regent needs: find a compose service's container, run a command in it. */
public interface DockerPort {

    /** The running or stopped container of a compose service, found by compose labels; empty when none exists. */
    Optional<Container> find(String project, String service);

    /**
     * Runs {@code command} (an argument list, never parsed by a shell) in the container and waits for it.
     * An exec that outlives {@code timeout} ends as {@link ExecResult#timedOut()}; the daemon being
     * unreachable raises {@link DockerUnavailable}.
     */
    ExecResult exec(Container container, List<String> command, Optional<String> workdir,
                    Map<String, String> env, Duration timeout);


    record Container(String id, String name, boolean running) {
    }

    final class DockerUnavailable extends RuntimeException {
        public DockerUnavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
