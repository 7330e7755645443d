package dev.regent.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.regent.fleet.InMemoryCoordinator;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FleetSimulationTest {
    private final InMemoryCoordinator.Fleet fleet = new InMemoryCoordinator.Fleet();

    @Test
    void twentyHostsWithThreeSlotsNeverMoveMoreThanThreeAtOnceAndAllMove() throws InterruptedException {
        var options = FleetSimulation.Options.of(20, 3).withMoveDuration(Duration.ofMillis(150));

        FleetSimulation.Figures figures = run(options);

        assertThat(figures.hostsMoved()).isEqualTo(20);
        assertThat(figures.maxMovingExact()).isBetween(1, 3);
        assertThat(figures.maxMovingSampled()).isBetween(1, 3);
        assertThat(figures.coordinatorCalls()).isPositive();
        assertThat(figures.halt()).isEmpty();
    }

    @Test
    void aFailingHostHaltsTheHostsAfterIt() throws InterruptedException {
        var options = FleetSimulation.Options.of(6, 1).withMoveDuration(Duration.ofMillis(50))
                .withFailingHosts(Set.of(FleetSimulation.hostName(2)));

        FleetSimulation.Figures figures = run(options);

        assertThat(figures.hostsMoved()).isEqualTo(2);
        assertThat(figures.hostsFailed()).isEqualTo(1);
        assertThat(figures.halt()).hasValueSatisfying(halt -> assertThat(halt.host()).isEqualTo("host03"));
    }

    @Test
    void aDeadHoldersSlotIsTakenByTheNextHost() throws InterruptedException {
        var options = FleetSimulation.Options.of(5, 1).withMoveDuration(Duration.ofMillis(50)).withKillOneHolder();

        FleetSimulation.Figures figures = run(options);

        assertThat(figures.hostsMoved()).isEqualTo(4);
        assertThat(figures.maxMovingExact()).isEqualTo(1);
        assertThat(figures.slotTakeover()).isPresent();
    }

    private FleetSimulation.Figures run(FleetSimulation.Options options) throws InterruptedException {
        FleetSimulation.Figures figures = FleetSimulation.run(options, fleet::coordinatorFor, (host, coordinator) -> fleet.kill(host));
        System.out.println(options.hosts() + " hosts, maxParallel " + options.maxParallel() + ": " + figures.describe());
        return figures;
    }
}
