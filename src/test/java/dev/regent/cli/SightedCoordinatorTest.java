package dev.regent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.regent.fleet.Coordinator;
import dev.regent.fleet.FleetUnavailable;
import dev.regent.fleet.FleetView;
import dev.regent.fleet.Halt;
import dev.regent.fleet.HostRecord;
import dev.regent.fleet.MigrationRun;
import dev.regent.server.FleetSighting;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Each view the loop reads, answered or not, becomes the sighting the status shows; the answer is passed on unchanged. */
class SightedCoordinatorTest {
    private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");
    private static final FleetView VIEW = new FleetView(Map.of(), List.of("web1"), Optional.empty());

    /** Answers VIEW until told the store is down. */
    private static final class Store implements Coordinator {
        boolean down;

        public FleetView view(String revision) throws FleetUnavailable {
            if (down) {
                throw new FleetUnavailable("view the fleet: no quorum");
            }
            return VIEW;
        }

        public void publish(HostRecord record) {
        }

        public boolean queue(String revision, int maxParallel) {
            return true;
        }

        public void release(String revision) {
        }

        public Halt halt(Halt halt) {
            return halt;
        }

        public boolean leadMigration(String revision) {
            return true;
        }

        public Optional<MigrationRun> migrationResult(String revision) {
            return Optional.empty();
        }

        public void recordMigration(MigrationRun run) {
        }

        public void close() {
        }
    }

    @Test
    void everyViewAnsweredOrNotIsSighted() throws Exception {
        var store = new Store();
        List<FleetSighting> sightings = new ArrayList<>();
        var sighted = new SightedCoordinator(store, "web1", sightings::add, Clock.fixed(NOW, ZoneOffset.UTC));

        assertThat(sighted.view("rev-1")).isSameAs(VIEW);
        store.down = true;
        assertThatThrownBy(() -> sighted.view("rev-1")).isInstanceOf(FleetUnavailable.class);

        assertThat(sightings).containsExactly(
                new FleetSighting("web1", "rev-1", Optional.of(VIEW), Optional.empty(), NOW),
                new FleetSighting("web1", "rev-1", Optional.empty(), Optional.of("view the fleet: no quorum"), NOW));
    }
}
