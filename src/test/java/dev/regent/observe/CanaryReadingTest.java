package dev.regent.observe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.regent.docker.NoDocker;
import dev.regent.fs.HostFiles;
import dev.regent.fs.HostLayout;
import dev.regent.spec.PromotionSpec;
import dev.regent.spec.SiteSpec;
import dev.regent.traffic.Figures;
import dev.regent.traffic.TrafficView;
import dev.regent.uwsgi.StatsReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Observer reads the canary: its files and stats socket, its record, and its requests on live's ports per interval. */
class CanaryReadingTest {
    private static final Instant AT = Instant.parse("2026-11-28T14:00:00Z");
    private static final ObservedHost.Containers UP = new ObservedHost.Containers(true, true);
    private static final CanaryRecord RECORD = new CanaryRecord("b", "a", 1, "commit-b", "c0ffee", AT, false);
    @TempDir
    Path tmp;
    private HostLayout layout;
    private StatsServer canary;
    /** Every query of live's ports, as "build from to" (seconds after AT); the all-ports query is never the canary's. */
    private final List<String> asked = new ArrayList<>();
    private final TrafficView traffic = new TrafficView() {
        public Figures figures(String build, Instant from, Instant to) {
            return new Figures(999_999, 999_999, 9_999);
        }

        public Figures liveFigures(String build, Instant from, Instant to) {
            asked.add(build + " " + (from.getEpochSecond() - AT.getEpochSecond()) + " " + (to.getEpochSecond() - AT.getEpochSecond()));
            return build.equals("b") ? new Figures(100, 20, 40) : new Figures(400, 0, 30);
        }
    };

    @BeforeEach
    void setUp() throws IOException {
        layout = new HostLayout(tmp);
        Files.createDirectories(layout.run());
        for (String build : List.of("a", "b")) {
            Path folder = Files.createDirectories(layout.build(build));
            HostFiles.writeJson(folder.resolve(BuildRecord.FILE), new BuildRecord(build, "v1", "commit-" + build, "app", 2000,
                    "tag", AT));
        }
        HostFiles.pointLink(layout.role(HostLayout.LIVE), "a");
    }

    @AfterEach
    void stop() throws IOException {
        if (canary != null) {
            canary.close();
        }
    }

    private CanaryReading observeAt(Instant now) {
        var spec = new PromotionSpec(PromotionSpec.Analysis.DEFAULT, Optional.empty(), false,
                Optional.of(new PromotionSpec.Canary(1)));
        return new Observer(layout, new NoDocker(), new StatsReader(Duration.ofMillis(200)), traffic,
                Clock.fixed(now, ZoneOffset.UTC)).observeFiles(UP, SiteSpec.NONE, spec).promotion().canary();
    }

    @Test
    void nothingOfACanaryReadsAsNone() {
        assertThat(observeAt(AT)).isEqualTo(CanaryReading.NONE);
    }

    @Test
    void itsFilesAndItsStatsSocketAreRead() throws IOException {
        HostFiles.writeAtomically(CanaryFiles.target(layout, "b"), CanaryFiles.targetContent(new ObservedCanary.Target("a", 2)));
        HostFiles.pointLink(CanaryFiles.ini(layout, "b"), CanaryFiles.SKELETON);
        assertThat(observeAt(AT).pools()).containsExactly(new ObservedCanary("b", true,
                Optional.of(new ObservedCanary.Target("a", 2)), false));

        canary = StatsServer.start(CanaryFiles.stats(layout, "b"), StatsServer.stats(300, 1, 1));
        assertThat(observeAt(AT).pool("b")).get().returns(true, ObservedCanary::serving);
    }

    @Test
    void itsRequestsOnLivesPortsAreReadPerCompleteIntervalAgainstLivesOverTheSameTime() {
        HostFiles.writeJson(CanaryRecord.path(layout), RECORD);

        CanaryReading seen = observeAt(AT.plusMillis(16_500));

        assertThat(seen.record()).contains(RECORD);
        assertThat(seen.intervals()).hasSize(3).containsOnly(new Figures(100, 20, 40));
        assertThat(seen.baseline()).isEqualTo(new Figures(400, 0, 30));
        assertThat(asked).containsExactly("b 0 5", "b 5 10", "b 10 15", "a 0 15");
    }

    @Test
    void aPassedCanaryIsNotReadAgain() {
        HostFiles.writeJson(CanaryRecord.path(layout), RECORD.withPassed());

        assertThat(observeAt(AT.plusSeconds(30)).intervals()).isEmpty();
        assertThat(asked).isEmpty();
    }

    @Test
    void aTargetFileRegentWouldNotWriteReadsAsNoTarget() {
        assertThat(CanaryFiles.parseTarget("[uwsgi]\nregent_canary_of = a\nregent_canary_workers = many\n")).isEmpty();
        assertThat(CanaryFiles.parseTarget(CanaryFiles.targetContent(new ObservedCanary.Target("a", 3))))
                .contains(new ObservedCanary.Target("a", 3));
    }
}
