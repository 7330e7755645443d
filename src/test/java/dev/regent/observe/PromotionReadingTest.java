package dev.regent.observe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.regent.approval.Approval;
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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Observer reads what guards live: the last move, pins, smoke records, approvals, and the traffic per interval. */
class PromotionReadingTest {
    private static final Instant AT = Instant.parse("2026-11-28T14:00:00Z");
    private static final ObservedHost.Containers UP = new ObservedHost.Containers(true, true);
    @TempDir
    Path tmp;
    private HostLayout layout;
    /** Every query the fake traffic view was asked, as "build from to" (seconds after AT). */
    private final List<String> asked = new ArrayList<>();
    private final TrafficView traffic = (build, from, to) -> {
        asked.add(build + " " + (from.getEpochSecond() - AT.getEpochSecond()) + " " + (to.getEpochSecond() - AT.getEpochSecond()));
        return build.equals("b") ? new Figures(100, 5, 40) : new Figures(1000, 0, 30);
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
        HostFiles.pointLink(layout.role(HostLayout.LIVE), "b");
        HostFiles.writeJson(PromotionRecord.path(layout), new PromotionRecord(Optional.of("a"), "b", "c0ffee", "git", AT));
    }

    private ObservedHost observeAt(Instant now, PromotionSpec spec) {
        return new Observer(layout, new NoDocker(), new StatsReader(Duration.ofMillis(100)), traffic,
                Clock.fixed(now, ZoneOffset.UTC)).observeFiles(UP, SiteSpec.NONE, spec);
    }

    @Test
    void theNewLiveBuildIsReadPerCompleteIntervalAndThePreviousOneOverTheWindowBefore() {
        ObservedPromotion seen = observeAt(AT.plusMillis(16_500), PromotionSpec.DEFAULT).promotion();

        assertThat(seen.last()).contains(new PromotionRecord(Optional.of("a"), "b", "c0ffee", "git", AT));
        assertThat(seen.intervals()).hasSize(3).containsOnly(new Figures(100, 5, 40));
        assertThat(seen.baseline()).isEqualTo(new Figures(1000, 0, 30));
        assertThat(asked).containsExactly("a -60 0", "b 0 5", "b 5 10", "b 10 15");
    }

    @Test
    void anIntervalIsReadOnlyASecondAfterItEnds() {
        assertThat(observeAt(AT.plusMillis(15_900), PromotionSpec.DEFAULT).promotion().intervals()).hasSize(2);
    }

    @Test
    void noTrafficIsReadWhenLiveMovedOnOrAfterARollbackOrLongAfter() {
        HostFiles.pointLink(layout.role(HostLayout.LIVE), "a");
        assertThat(observeAt(AT.plusSeconds(20), PromotionSpec.DEFAULT).promotion().intervals()).isEmpty();

        HostFiles.writeJson(PromotionRecord.path(layout), new PromotionRecord(Optional.of("b"), "a", "c0ffee", "rollback", AT));
        assertThat(observeAt(AT.plusSeconds(20), PromotionSpec.DEFAULT).promotion().intervals()).isEmpty();

        HostFiles.pointLink(layout.role(HostLayout.LIVE), "b");
        HostFiles.writeJson(PromotionRecord.path(layout), new PromotionRecord(Optional.of("a"), "b", "c0ffee", "git", AT));
        assertThat(observeAt(AT.plusSeconds(3600), PromotionSpec.DEFAULT).promotion().intervals()).isEmpty();
        assertThat(asked).isEmpty();
    }

    @Test
    void pinsSmokeRecordsAndApprovalsAreRead() throws IOException {
        Pin pin = new Pin("b", "c0ffee", "a", "slow", new Figures(1, 0, 900), AT);
        Pin.write(layout, List.of(pin));
        var smoke = new SmokeRecord("b", "commit-b", List.of("/"), 1, true, "ok", AT);
        HostFiles.writeJson(layout.marker("b", SmokeRecord.KIND), smoke);
        Files.writeString(layout.run().resolve("approvals.json"),
                "[{\"build\": \"b\", \"commit\": \"commit-b\", \"by\": \"alice\", \"at\": \"2026-11-28T14:01:00Z\"}]");
        var gated = new PromotionSpec(PromotionSpec.Analysis.DEFAULT, Optional.empty(), true, Optional.empty());

        ObservedPromotion seen = observeAt(AT, gated).promotion();

        assertThat(seen.pins()).containsExactly(pin);
        assertThat(seen.smoke()).containsEntry("b", smoke);
        assertThat(seen.approvals()).containsEntry("b", new Approval("b", "commit-b", "alice", AT.plusSeconds(60)));
    }

    @Test
    void anUnreadablePinFileIsReportedSinceItHoldsLiveBack() throws IOException {
        Files.writeString(Pin.path(layout), "[{");

        ObservedHost host = observeAt(AT, PromotionSpec.DEFAULT);

        assertThat(host.unreadable()).singleElement().asString().startsWith("deploy/run/rollbacks.json (");
    }
}
