package dev.regent.traffic;

import dev.regent.docker.DockerPort;
import dev.regent.docker.ExecResult;
import dev.regent.fs.HostLayout;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Rotates the traffic log inside the nginx container: the rename there works whoever runs Regent
 * (the folder is root's), and {@code nginx -s reopen} only reopens the log files (SIGUSR1, "reopening
 * logs"), it is not a reload: no worker is replaced, no configuration read again.
 */
public final class NginxLogRotation implements LogRotation {
    private final DockerPort docker;
    private final Supplier<Optional<String>> project;
    private final String logInContainer;

    /** project: the compose project, known once a desired state has been read. */
    public NginxLogRotation(DockerPort docker, HostLayout layout, Supplier<Optional<String>> project) {
        this.docker = docker;
        this.project = project;
        this.logInContainer = layout.inContainer(TrafficLog.file(layout));
    }

    /**
     * Before the first desired state is read the nginx container is not known yet: nothing is done,
     * and a later tick rotates (a log left over from an earlier run is often past the bound at start).
     */
    @Override
    public void rotate() {
        if (project.get().isEmpty()) {
            return;
        }
        String name = project.get().get();
        DockerPort.Container nginx = docker.find(name, "nginx").filter(DockerPort.Container::running)
                .orElseThrow(() -> new IllegalStateException("the nginx container of " + name + " is not running"));
        ExecResult result = docker.exec(nginx, command(logInContainer), Optional.empty(), Map.of(), Duration.ofSeconds(20));
        if (!result.ok()) {
            throw new IllegalStateException("rotating " + logInContainer + " failed: " + result.tail(5));
        }
    }

    static List<String> command(String log) {
        return List.of("sh", "-c", "mv -f \"$1\" \"$1.1\" && nginx -s reopen -c /code/conf/nginx/nginx.conf",
                "rotate", log);
    }
}
