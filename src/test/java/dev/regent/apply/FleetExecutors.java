package dev.regent.apply;

import dev.regent.docker.DockerPort;
import dev.regent.docker.ExecResult;
import dev.regent.fs.HostLayout;
import dev.regent.spec.DependencySpec;
import dev.regent.time.Sleeper;
import dev.regent.uwsgi.StatsReader;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Executors for tests of a fleet host's actions: a temp host, 1 s timeouts, and the fleet store through {@code fleet}. */
public final class FleetExecutors {
    private FleetExecutors() {
    }

    public static Executor executor(HostLayout layout, DockerPort docker, Clock clock, FleetSteps fleet) {
        Duration second = Duration.ofSeconds(1);
        var host = new HostContext("proj", layout, docker, new StatsReader(Duration.ofMillis(200)), clock,
                new Waiter(clock, Sleeper.real(), Duration.ofMillis(10)),
                new HostContext.Timeouts(second, second, second, second, second));
        return new Executor(host, List.of(), DependencySpec.NONE, line -> { }, Provenance.UNKNOWN, fleet);
    }

    /** Docker that fails the test on any call, saying {@code why}: for actions that must not reach it. */
    public static DockerPort refusingDocker(String why) {
        return new DockerPort() {
            public Optional<Container> find(String project, String service) {
                throw new AssertionError(why);
            }

            public ExecResult exec(Container c, List<String> command, Optional<String> workdir, Map<String, String> env,
                                   Duration timeout) {
                throw new AssertionError(why);
            }
        };
    }

    /** Docker where every service's container runs and nothing may be executed in one. */
    public static DockerPort runningContainers() {
        return new DockerPort() {
            public Optional<Container> find(String project, String service) {
                return Optional.of(new Container(service, project + "-" + service, true));
            }

            public ExecResult exec(Container c, List<String> command, Optional<String> workdir, Map<String, String> env,
                                   Duration timeout) {
                throw new UnsupportedOperationException("no exec here: " + command);
            }
        };
    }
}
