package dev.regent.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.regent.fleet.FleetSpec;
import dev.regent.fleet.FleetView;
import dev.regent.fleet.Halt;
import dev.regent.fleet.HostRecord;
import dev.regent.fs.HostLayout;
import dev.regent.gitops.Revision;
import dev.regent.observe.ObservedHost;
import dev.regent.observe.Observer;
import dev.regent.spec.DesiredState;
import dev.regent.spec.LoadResult;
import dev.regent.spec.SpecLoader;
import dev.regent.uwsgi.StatsReader;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A fleet host's place in its fleet, from its loop's last sighting: in words, in /api/status and on regent status's line. */
class FleetStatusTest {
    private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");
    private static final String REVISION = "rev-9";
    private static final DesiredState FLEET = ((LoadResult.Valid) SpecLoader.parse(Path.of("desired-state.yaml"), """
            apiVersion: regent/v1
            kind: Fleet
            metadata: {name: shop}
            spec:
              source: {repo: ., path: app}
              builds: {a: {ref: HEAD}, b: {ref: HEAD}}
              live: b
              stage: a
              fleet:
                hosts: [{name: web1}, {name: web2}, {name: web3}]
                rollout: {maxParallel: 1, order: [web1, web2, web3]}
            """, Optional.of("web2"))).state();
    private static final FleetSpec SPEC = FLEET.fleet().orElseThrow();

    @TempDir
    Path root;

    private static HostRecord record(String host, String revision, HostRecord.State state) {
        return new HostRecord(host, revision, Optional.of("b"), Optional.of("a"), state, "converged", NOW.minusSeconds(1));
    }

    private static FleetSighting seen(List<String> queue, Optional<Halt> halt) {
        var view = new FleetView(Map.of("web1", record("web1", REVISION, HostRecord.State.CONVERGED),
                "web2", record("web2", REVISION, HostRecord.State.WAITING)), queue, halt);
        return new FleetSighting("web2", REVISION, Optional.of(view), Optional.empty(), NOW.minusSeconds(4));
    }

    @Test
    void aHostHoldingTheSlotSaysSoAndNamesTheOthersAsTheirRecordsSaid() {
        FleetStatus status = FleetStatus.of(SPEC, seen(List.of("web2"), Optional.empty()), NOW);

        assertThat(status.holdsSlot()).isTrue();
        assertThat(status.others()).extracting(FleetStatus.Peer::host).containsExactly("web1", "web3");
        assertThat(status.line()).isEqualTo("fleet: host web2 (holds a slot): holds a rollout slot for revision rev-9; "
                + "others web1 CONVERGED, web3 no record (seen 4s ago)");
    }

    @Test
    void aWaitingHostNamesTheHolderAndAHaltedOneTheHalt() {
        FleetStatus waiting = FleetStatus.of(SPEC, seen(List.of("web3", "web2"), Optional.empty()), NOW);
        Halt halt = new Halt(REVISION, "web1", "smoke check failed", NOW.minusSeconds(30));
        FleetStatus halted = FleetStatus.of(SPEC, seen(List.of(), Optional.of(halt)), NOW);

        assertThat(waiting.holdsSlot()).isFalse();
        assertThat(waiting.decision()).isEqualTo("waits for a rollout slot (held by web3)");
        assertThat(halted.halt()).contains(halt);
        assertThat(halted.decision()).isEqualTo("the rollout of revision rev-9 halted: web1 failed: smoke check failed");
    }

    @Test
    void aStoreThatDidNotAnswerIsTheDecisionAndNoOtherHostIsClaimed() {
        var seen = new FleetSighting("web2", REVISION, Optional.empty(), Optional.of("view the fleet: deadline exceeded"),
                NOW.minusSeconds(2));

        FleetStatus status = FleetStatus.of(SPEC, seen, NOW);

        assertThat(status.line()).isEqualTo("fleet: host web2: the fleet store is unavailable: view the fleet: deadline "
                + "exceeded (seen 2s ago)");
        assertThat(status.others()).isEmpty();
    }

    @Test
    void theStatusApiCarriesTheSightingTheLoopKeptAndNothingWithoutOne() {
        var layout = new HostLayout(root);
        var observer = new Observer(layout, new dev.regent.docker.NoDocker(), new StatsReader(Duration.ofMillis(100)));
        var report = new StatusReport(() -> Optional.of(new Revision(FLEET, REVISION)),
                d -> observer.observeFiles(new ObservedHost.Containers(true, true)), layout, Clock.fixed(NOW, ZoneOffset.UTC));
        assertThat(report.json().has("fleet")).isFalse();

        FleetSighting.write(layout, seen(List.of("web2"), Optional.empty()));
        JsonNode fleet = report.json().path("fleet");

        assertThat(fleet.path("host").asText()).isEqualTo("web2");
        assertThat(fleet.path("decision").asText()).isEqualTo("holds a rollout slot for revision rev-9");
        assertThat(fleet.path("holdsSlot").asBoolean()).isTrue();
        assertThat(fleet.path("others").get(0).path("state").asText()).isEqualTo("CONVERGED");
        assertThat(fleet.path("others").get(1).path("state").isNull()).isTrue();
        assertThat(fleet.path("observedSecondsAgo").asLong()).isEqualTo(4);
    }

    @Test
    void aHostFileShowsNoFleetEvenWithASightingLeftOver() {
        var layout = new HostLayout(root);
        FleetSighting.write(layout, seen(List.of("web2"), Optional.empty()));

        assertThat(FleetStatus.read(layout, OperatorServerTest.STATE, NOW)).isEmpty();
        assertThat(FleetStatus.read(layout, FLEET, NOW)).isPresent();
    }
}
