package dev.regent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.regent.fs.HostFiles;
import dev.regent.fs.HostLayout;
import dev.regent.observe.Pin;
import dev.regent.observe.PromotionRecord;
import dev.regent.spec.DesiredState;
import dev.regent.spec.LoadResult;
import dev.regent.spec.SpecLoader;
import dev.regent.traffic.Figures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** `regent rollback --no-apply`: the previous live build back in one edit of desired-state.yaml, comments kept. */
class RollbackCommandTest {
    private static final Instant AT = Instant.parse("2026-11-28T14:00:00Z");
    @TempDir
    Path tmp;
    private Path file;
    private HostLayout layout;

    @BeforeEach
    void setUp() throws IOException {
        layout = new HostLayout(tmp);
        Files.createDirectories(layout.run());
        file = tmp.resolve("desired-state.yaml");
        Files.writeString(file, """
                apiVersion: regent/v1
                kind: Host
                metadata: {name: demo}
                spec:
                  source: {repo: ., path: app}
                  builds:
                    a: {ref: v1}
                    b: {ref: v2}
                    c: {ref: v3}
                  live: c    # the newest
                  stage: b
                """);
    }

    private int rollback() {
        return new CommandLine(new Main()).execute("rollback", "--no-apply", "-f", file.toString());
    }

    private DesiredState desired() {
        return ((LoadResult.Valid) SpecLoader.load(file)).state();
    }

    @Test
    void theBuildTheLastPromotionReplacedComesBackAndTheCurrentOneBecomesStage() throws IOException {
        HostFiles.writeJson(PromotionRecord.path(layout), new PromotionRecord(Optional.of("a"), "c", "f00d", "git", AT));

        assertThat(rollback()).isZero();

        assertThat(desired().live()).contains("a");
        assertThat(desired().stage()).contains("c");
        assertThat(Files.readString(file)).contains("live: a    # the newest");
    }

    @Test
    void withoutARecordTheStageBuildComesBack() {
        assertThat(rollback()).isZero();

        assertThat(desired().live()).contains("b");
        assertThat(desired().stage()).contains("c");
    }

    @Test
    void afterAnAutomaticRollbackTheDesiredStateIsMadeToSayWhereLiveIsHeld() {
        HostFiles.writeJson(PromotionRecord.path(layout), new PromotionRecord(Optional.of("c"), "a", "f00d", "rollback", AT));
        Pin.write(layout, List.of(new Pin("c", "f00d", "a", "slow", Figures.NONE, AT)));

        assertThat(rollback()).isZero();

        assertThat(desired().live()).contains("a");
        assertThat(desired().stage()).contains("c");
    }

    @Test
    void aRecordOfAnotherLiveBuildIsNotUsed() {
        HostFiles.writeJson(PromotionRecord.path(layout), new PromotionRecord(Optional.of("a"), "b", "f00d", "git", AT));

        assertThat(rollback()).isZero();

        assertThat(desired().live()).contains("b");
    }
}
