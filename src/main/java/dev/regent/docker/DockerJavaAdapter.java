package dev.regent.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** {@link DockerPort} over docker-java with the zerodep transport. */
public final class DockerJavaAdapter implements DockerPort {
    private static final int MAX_OUTPUT_BYTES = 256 * 1024;
    private final DockerClient client;

    public DockerJavaAdapter(DockerClient client) {
        this.client = client;
    }

    public static DockerJavaAdapter fromEnvironment() {
        var config = DefaultDockerClientConfig.createDefaultConfigBuilder().build();
        var http = new ZerodepDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .connectionTimeout(Duration.ofSeconds(5))
                .responseTimeout(Duration.ofMinutes(10))
                .build();
        return new DockerJavaAdapter(DockerClientImpl.getInstance(config, http));
    }

    @Override
    public Optional<Container> find(String project, String service) {
        try {
            return client.listContainersCmd()
                    .withShowAll(true)
                    .withLabelFilter(Map.of("com.docker.compose.project", project,
                            "com.docker.compose.service", service))
                    .exec().stream()
                    .sorted((x, y) -> Boolean.compare("running".equals(y.getState()), "running".equals(x.getState())))
                    .findFirst()
                    .map(c -> new Container(c.getId(), c.getNames().length > 0 ? c.getNames()[0].replaceFirst("^/", "") : c.getId(),
                            "running".equals(c.getState())));
        } catch (RuntimeException e) {
            throw unavailable(e);
        }
    }

    @Override
    public ExecResult exec(Container container, List<String> command, Optional<String> workdir,
                           Map<String, String> env, Duration timeout) {
        try {
            var create = client.execCreateCmd(container.id())
                    .withCmd(command.toArray(String[]::new))
                    .withAttachStdout(true)
                    .withAttachStderr(true)
                    .withEnv(env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
            workdir.ifPresent(create::withWorkingDir);
            String execId = create.exec().getId();
            var output = new BoundedOutput();
            var callback = client.execStartCmd(execId).exec(output);
            boolean finished = callback.awaitCompletion(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                callback.close();
                return new ExecResult(-1, output.text(), true);
            }
            Long exit = client.inspectExecCmd(execId).exec().getExitCodeLong();
            return new ExecResult(exit == null ? -1 : exit.intValue(), output.text(), false);
        } catch (NotFoundException e) {
            return new ExecResult(-1, "container " + container.name() + " is gone: " + e.getMessage(), false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DockerUnavailable("interrupted while running " + command.get(0), e);
        } catch (java.io.IOException e) {
            throw new DockerUnavailable("could not close exec stream: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw unavailable(e);
        }
    }

    private static DockerUnavailable unavailable(RuntimeException e) {
        if (e instanceof DockerUnavailable du) {
            return du;
        }
        return new DockerUnavailable("Docker engine unreachable: " + e.getMessage(), e);
    }

    private static final class BoundedOutput extends ResultCallback.Adapter<Frame> {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        @Override
        public void onNext(Frame frame) {
            synchronized (bytes) {
                if (bytes.size() < MAX_OUTPUT_BYTES) {
                    bytes.writeBytes(frame.getPayload());
                }
            }
        }

        String text() {
            synchronized (bytes) {
                return bytes.toString(StandardCharsets.UTF_8);
            }
        }
    }
}
