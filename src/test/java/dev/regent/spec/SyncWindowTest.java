package dev.regent.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SyncWindowTest {
    // 2026-11-27 is a Friday.
    static final Instant FRIDAY_1000 = Instant.parse("2026-11-27T10:00:00Z");
    static final Instant FRIDAY_1900 = Instant.parse("2026-11-27T19:00:00Z");
    static final SyncWindow WORKDAY = new SyncWindow(SyncWindow.Kind.ALLOW, "0 0 9 ? * MON-FRI", Duration.ofHours(8));
    static final SyncWindow FRIDAY_FREEZE = new SyncWindow(SyncWindow.Kind.DENY, "0 0 9 ? * FRI", Duration.ofHours(1).plusMinutes(30));

    @Test
    void aWindowIsOpenFromItsFiringForItsDuration() {
        assertThat(WORKDAY.openAt(FRIDAY_1000)).isTrue();
        assertThat(WORKDAY.openAt(FRIDAY_1900)).isFalse();
        assertThat(WORKDAY.openAt(Instant.parse("2026-11-27T09:00:00Z"))).isTrue();
        assertThat(WORKDAY.openAt(Instant.parse("2026-11-28T10:00:00Z"))).as("Saturday").isFalse();
    }

    @Test
    void denyWinsAndAllowWindowsMustBeOpen() {
        assertThat(SyncWindow.promotionBlocked(List.of(), FRIDAY_1000)).isEmpty();
        assertThat(SyncWindow.promotionBlocked(List.of(WORKDAY), FRIDAY_1000)).isEmpty();
        assertThat(SyncWindow.promotionBlocked(List.of(WORKDAY), FRIDAY_1900)).contains("no allow window is open");
        assertThat(SyncWindow.promotionBlocked(List.of(WORKDAY, FRIDAY_FREEZE), FRIDAY_1000)).get().asString()
                .contains("deny window \"0 0 9 ? * FRI\"");
        assertThat(SyncWindow.promotionBlocked(List.of(WORKDAY, FRIDAY_FREEZE), Instant.parse("2026-11-27T11:00:00Z"))).isEmpty();
    }

    @Test
    void windowsAreParsedAndBadOnesRejectedWithTheirLine() {
        String head = SpecTexts.ONE_BUILD_HOST + "  syncWindows:\n";
        var good = SpecLoader.parse(Path.of("d.yaml"), head + "    - {kind: allow, schedule: \"0 0 9 ? * MON-FRI\", duration: 8h}\n");
        assertThat(good).isInstanceOf(LoadResult.Valid.class);
        assertThat(((LoadResult.Valid) good).state().syncWindows()).containsExactly(WORKDAY);

        var bad = SpecLoader.parse(Path.of("d.yaml"), head + "    - {kind: allow, schedule: \"every day\", duration: 8 hours}\n");
        assertThat(bad).isInstanceOf(LoadResult.Invalid.class);
        assertThat(((LoadResult.Invalid) bad).errors()).extracting(Object::toString)
                .anyMatch(e -> e.startsWith("d.yaml:9:") && e.contains("spec.syncWindows[0].schedule"))
                .anyMatch(e -> e.contains("spec.syncWindows[0].duration"));
    }
}
