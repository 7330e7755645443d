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

    @Test
    void aRefusedReleasePhaseShowsAsMigratedFalseNamingTheMigration() throws IOException {
        var layout = new HostLayout(root);
        Files.createDirectories(layout.build("a"));
        var made = java.time.Instant.parse("2024-01-01T00:00:00Z");
        dev.regent.fs.HostFiles.writeJson(layout.build("a").resolve(dev.regent.observe.BuildRecord.FILE),
                new dev.regent.observe.BuildRecord("a", "HEAD", "0123456789abcdef", "app", 2000, "t", made));
        StatusReport report = reportOn(layout);
        JsonNode before = migrated(report.json());
        assertThat(before.path("status").asText()).isEqualTo("True");
        assertThat(before.path("reason").asText()).isEqualTo("Migrated");

        dev.regent.fs.HostFiles.writeJson(layout.marker("a", dev.regent.observe.MigrationRecord.KIND),
                new dev.regent.observe.MigrationRecord("a", "HEAD", dev.regent.observe.MigrationRecord.State.REFUSED,
                        dev.regent.migrate.MigrationPlan.noDatabase(), java.util.List.of(), java.util.List.of(),
                        Optional.of("notes.0002_drop_body"), "refused before any SQL ran: it would break the build now live\nmore",
                        made.plusSeconds(5)));
        JsonNode status = report.json();

        JsonNode after = migrated(status);
        assertThat(after.path("status").asText()).isEqualTo("False");
        assertThat(after.path("reason").asText()).isEqualTo("MigrationRefused");
        assertThat(after.path("message").asText()).isEqualTo("build a: notes.0002_drop_body: refused before any SQL ran:"
                + " it would break the build now live");
        assertThat(status.path("builds").get(0).path("migration").path("state").asText()).isEqualTo("REFUSED");
        assertThat(status.path("builds").get(0).path("rollbackSafe").asBoolean()).isTrue();
    }

    private StatusReport reportOn(HostLayout layout) {
        var observer = new Observer(layout, new dev.regent.docker.NoDocker(), new StatsReader(Duration.ofMillis(100)));
        return new StatusReport(() -> Optional.of(new Revision(OperatorServerTest.STATE, "file")),
                d -> observer.observeFiles(new ObservedHost.Containers(true, true)), layout, Clock.systemUTC());
    }

    private static JsonNode migrated(JsonNode status) {
        for (JsonNode c : status.path("conditions")) {
            if (c.path("type").asText().equals("Migrated")) {
                return c;
            }
        }
        throw new AssertionError("no Migrated condition in " + status);
    }
}
