package dev.regent.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.regent.fs.HostLayout;
import dev.regent.gitops.Revision;
import dev.regent.observe.ObservedHost;
import dev.regent.observe.Observer;
import dev.regent.uwsgi.StatsReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A blocked plan's code is the Degraded condition's reason; the blocked list carries code and message. */
class StatusConditionsTest {
    @TempDir
    Path root;

    @Test
    void anUnreadableNginxRecordShowsAsDegradedWithItsCode() throws IOException {
        var state = OperatorServerTest.STATE;
        var layout = new HostLayout(root);
        Files.createDirectories(layout.run());
        Files.writeString(layout.nginxApplied(), "{\"live\": ");
        var observer = new Observer(layout, new dev.regent.docker.NoDocker(), new StatsReader(Duration.ofMillis(100)));
        var report = new StatusReport(() -> Optional.of(new Revision(state, "file")),
                d -> observer.observeFiles(new ObservedHost.Containers(true, true)), layout, Clock.systemUTC());

        JsonNode status = report.json();

        assertThat(status.path("blocked")).singleElement().satisfies(b -> {
            assertThat(b.path("code").asText()).isEqualTo("UnreadableState");
            assertThat(b.path("message").asText()).contains("deploy/run/nginx-applied.json");
        });
        assertThat(status.path("conditions")).filteredOn(c -> c.path("type").asText().equals("Degraded"))
                .singleElement().satisfies(c -> {
                    assertThat(c.path("status").asText()).isEqualTo("True");
                    assertThat(c.path("reason").asText()).isEqualTo("UnreadableState");
                    assertThat(c.path("message").asText()).contains("could not read deploy/run/nginx-applied.json");
                });
        assertThat(status.path("plan")).isEmpty();
    }
}
