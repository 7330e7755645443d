package dev.regent.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The fleet status as read from plain records and views: file order, absent hosts, slots, halts. */
class FleetReportTest {
    private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");
    private static final String NEW = "0123456789abcdef0123";
    private static final String OLD = "fedcba9876543210fedc";
    private static final FleetSpec SPEC = new FleetSpec(List.of(new FleetHost("web3", false, false),
            new FleetHost("web1", false, false), new FleetHost("web2", true, false), new FleetHost("web4", false, false)),
            new RolloutPolicy(1, List.of(), RolloutPolicy.OnFailure.HALT, RolloutPolicy.DEFAULT_SLOT_TTL));

    private static HostRecord record(String host, String revision, HostRecord.State state, String message, long secondsAgo) {
        return new HostRecord(host, revision, Optional.of("b"), Optional.of("a"), state, message, NOW.minusSeconds(secondsAgo));
    }

    private static final Map<String, HostRecord> RECORDS = Map.of(
            "web1", record("web1", NEW, HostRecord.State.MOVING, "will swap live to b", 3),
            "web3", record("web3", NEW, HostRecord.State.WAITING, "waits for a rollout slot (held by web1)", 75),
            "web2", record("web2", OLD, HostRecord.State.PAUSED, "web2 is paused in the fleet file", 7300),
            "old9", record("old9", OLD, HostRecord.State.CONVERGED, "converged", 0));

    @Test
    void showsEveryHostInFileOrderThenTheRecordsTheFileNoLongerNamesAndEachRevisionsSlots() {
        var views = Map.of(NEW, new FleetView(RECORDS, List.of("web1", "web3"), Optional.empty()),
                OLD, new FleetView(RECORDS, List.of(), Optional.empty()));

        FleetReport report = FleetReport.of("shop", SPEC, RECORDS, views, NOW);

        assertThat(report.text()).containsExactly(
                "fleet shop: 4 hosts, 4 with a record, maxParallel 1",
                "HOST       STATE      REVISION      LIVE   STAGE  AGE    MESSAGE",
                "web3       WAITING    0123456789ab  b      a      1m15s  waits for a rollout slot (held by web1)",
                "web1       MOVING     0123456789ab  b      a      3s     will swap live to b",
                "web2*      PAUSED     fedcba987654  b      a      2h1m   web2 is paused in the fleet file",
                "web4       no record (down or not started)",
                "old9       CONVERGED  fedcba987654  b      a      0s     converged  (not in the fleet file)",
                "* paused or drained in the fleet file: never moves live",
                "revision 0123456789ab (applied by web3, web1): slot held by web1; queued: web3",
                "revision fedcba987654 (applied by web2, old9): slot free");
        assertThat(report.halted()).isFalse();
    }

    @Test
    void aHaltOfARevisionAHostAppliesIsShownAndHaltsTheReport() {
        Halt halt = new Halt(NEW, "web1", "smoke check /healthz answered 500", NOW.minusSeconds(20));
        var views = Map.of(NEW, new FleetView(RECORDS, List.of("web3"), Optional.of(halt)),
                OLD, new FleetView(RECORDS, List.of(), Optional.empty()));

        FleetReport report = FleetReport.of("shop", SPEC, RECORDS, views, NOW);

        assertThat(report.halted()).isTrue();
        assertThat(report.rollouts().get(0).halt()).contains(halt);
        assertThat(report.text()).containsSubsequence(
                "revision 0123456789ab (applied by web3, web1): slot held by web3",
                "  HALTED by web1 at 2026-12-06T11:59:40Z: smoke check /healthz answered 500",
                "revision fedcba987654 (applied by web2, old9): slot free");
    }

    @Test
    void withNoRecordsEveryHostIsDownAndNoRevisionIsShown() {
        FleetReport report = FleetReport.of("shop", SPEC, Map.of(), Map.of(), NOW);

        assertThat(report.hosts()).extracting(FleetReport.Host::host).containsExactly("web3", "web1", "web2", "web4");
        assertThat(report.hosts()).allSatisfy(h -> assertThat(h.record()).isEmpty());
        assertThat(report.rollouts()).isEmpty();
        assertThat(report.halted()).isFalse();
    }

    @Test
    void maxParallelSlotsAreHeldAndTheRestQueue() {
        FleetSpec two = new FleetSpec(SPEC.hosts(), new RolloutPolicy(2, List.of(), RolloutPolicy.OnFailure.HALT,
                RolloutPolicy.DEFAULT_SLOT_TTL));
        var views = Map.of(NEW, new FleetView(RECORDS, List.of("web3", "web1", "web4"), Optional.empty()));

        FleetReport report = FleetReport.of("shop", two, RECORDS, views, NOW);

        assertThat(report.rollouts().get(0).slotHolders()).containsExactly("web3", "web1");
        assertThat(report.rollouts().get(0).queued()).containsExactly("web4");
        assertThat(report.rollouts().get(1).slotHolders()).isEmpty();
    }

    @Test
    void agesReadInWords() {
        assertThat(List.of(FleetReport.words(59), FleetReport.words(60), FleetReport.words(61), FleetReport.words(3600),
                FleetReport.words(3661))).containsExactly("59s", "1m", "1m1s", "1h", "1h1m");
    }
}
