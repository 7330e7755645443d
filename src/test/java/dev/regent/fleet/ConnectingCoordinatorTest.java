package dev.regent.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ConnectingCoordinatorTest {
    private final InMemoryCoordinator.Fleet store = new InMemoryCoordinator.Fleet();
    private final List<String> connects = new ArrayList<>();
    private final AtomicBoolean storeDown = new AtomicBoolean();
    private final AtomicReference<Optional<ConnectingCoordinator.Fleet>> followed = new AtomicReference<>(Optional.empty());
    private final ConnectingCoordinator coordinator = new ConnectingCoordinator((fleet, ttl) -> {
        connects.add(fleet + "/" + ttl.toSeconds());
        if (storeDown.get()) {
            throw new FleetUnavailable("connection refused");
        }
        return store.coordinatorFor("web1");
    }, followed::get);

    @Test
    void beforeAFleetIsFollowedNothingConnectsAndEveryCallIsUnavailable() {
        assertThatThrownBy(() -> coordinator.queue("r1", 1)).isInstanceOf(FleetUnavailable.class)
                .hasMessageContaining("no fleet file");
        assertThat(connects).isEmpty();
    }

    @Test
    void connectsOnceForTheFollowedFleetAndAgainWhenItsNameOrTtlChanges() throws Exception {
        followed.set(Optional.of(new ConnectingCoordinator.Fleet("shop", Duration.ofSeconds(5))));
        assertThat(coordinator.queue("r1", 1)).isTrue();
        assertThat(coordinator.view("r1").slotQueue()).containsExactly("web1");
        followed.set(Optional.of(new ConnectingCoordinator.Fleet("shop", Duration.ofSeconds(3))));
        coordinator.view("r1");
        assertThat(connects).containsExactly("shop/5", "shop/3");
    }

    @Test
    void aFailedConnectIsTriedAgainOnTheNextCall() throws Exception {
        followed.set(Optional.of(new ConnectingCoordinator.Fleet("shop", Duration.ofSeconds(5))));
        storeDown.set(true);
        assertThatThrownBy(() -> coordinator.view("r1")).isInstanceOf(FleetUnavailable.class)
                .hasMessageContaining("connection refused");
        storeDown.set(false);
        assertThat(coordinator.view("r1").halt()).isEmpty();
        assertThat(connects).hasSize(2);
    }
}
