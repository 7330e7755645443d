package dev.regent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import picocli.CommandLine;

/** What Regent exposes when nobody says otherwise: loopback only. */
class ExposureDefaultsTest {

    @Test
    void theOperatorsHttpServerListensOnLoopbackByDefault() {
        RunCommand run = CommandLine.populateCommand(new RunCommand());

        assertThat(run.listen).isEqualTo("127.0.0.1:9090");
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyPortTheComposeFilePublishesIsBoundToLoopback() throws Exception {
        Map<String, Object> compose = new Yaml().load(Files.readString(Path.of("docker-compose.yml")));
        var services = (Map<String, Map<String, Object>>) compose.get("services");

        var published = services.values().stream()
                .flatMap(service -> ((List<String>) service.getOrDefault("ports", List.of())).stream()).toList();

        assertThat(published).isNotEmpty().allSatisfy(port -> assertThat(port).startsWith("127.0.0.1:"));
    }
}
