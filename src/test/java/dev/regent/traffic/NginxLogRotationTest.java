package dev.regent.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.regent.docker.DockerPort;
import dev.regent.docker.ExecResult;
import dev.regent.fs.HostLayout;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NginxLogRotationTest {
    final List<List<String>> execs = new ArrayList<>();
    int exitCode;

    final DockerPort docker = new DockerPort() {
        public Optional<Container> find(String project, String service) {
            return project.equals("demo") && service.equals("nginx")
                    ? Optional.of(new Container("id", "demo-nginx-1", true)) : Optional.empty();
        }

        public ExecResult exec(Container container, List<String> command, Optional<String> workdir,
                               Map<String, String> env, Duration timeout) {
            execs.add(command);
            return new ExecResult(exitCode, "nginx: [error] open() \"/run/nginx.pid\" failed", false);
        }
    };
    final HostLayout layout = new HostLayout(Path.of("/srv/site"));

    @Test
    void renamesTheLogAndReopensNginxsLogsInItsContainer() {
        new NginxLogRotation(docker, layout, () -> Optional.of("demo")).rotate();

        assertThat(execs).containsExactly(List.of("sh", "-c",
                "mv -f \"$1\" \"$1.1\" && nginx -s reopen -c /code/conf/nginx/nginx.conf", "rotate",
                "/code/deploy/run/traffic/access.log"));
    }

    @Test
    void saysWhyItCouldNotRotate() {
        exitCode = 1;
        assertThatThrownBy(() -> new NginxLogRotation(docker, layout, () -> Optional.of("demo")).rotate())
                .hasMessageContaining("rotating /code/deploy/run/traffic/access.log failed: nginx: [error] open()");
        assertThatThrownBy(() -> new NginxLogRotation(docker, layout, () -> Optional.of("other")).rotate())
                .hasMessageContaining("the nginx container of other is not running");
    }

    @Test
    void waitsForTheFirstDesiredStateWithoutComplaining() {
        new NginxLogRotation(docker, layout, Optional::empty).rotate();

        assertThat(execs).isEmpty();
    }
}
