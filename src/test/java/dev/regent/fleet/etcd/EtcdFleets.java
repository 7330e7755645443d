package dev.regent.fleet.etcd;

import dev.regent.fleet.Coordinator;
import dev.regent.fleet.FleetUnavailable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real 3-member etcd cluster for one test class (a static {@code @RegisterExtension} field), with a
 * fresh fleet name per call of {@link #newFleet} so tests never see each other's keys. After each
 * test the coordinators it connected are closed and any member it stopped is started again.
 */
final class EtcdFleets implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {
    private final String prefix;
    private final Duration ttl;
    private final List<Coordinator> opened = new ArrayList<>();
    private EtcdCluster cluster;
    private int fleets;

    EtcdFleets(String prefix, Duration ttl) {
        this.prefix = prefix;
        this.ttl = ttl;
    }

    EtcdCluster cluster() {
        return cluster;
    }

    Duration ttl() {
        return ttl;
    }

    String newFleet() {
        return prefix + (++fleets);
    }

    /** A coordinator of host in fleet with this class's lease TTL, closed after the test. */
    Coordinator connect(String fleet, String host) throws FleetUnavailable {
        Coordinator coordinator = EtcdCoordinator.connect(cluster.endpoints(), fleet, host, ttl);
        opened.add(coordinator);
        return coordinator;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        cluster = EtcdCluster.ofMembers(3);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        opened.forEach(Coordinator::close);
        opened.clear();
        for (int i = 0; i < cluster.size(); i++) {
            if (!cluster.running(i)) {
                cluster.start(i);
            }
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (cluster != null) {
            cluster.close();
        }
    }
}
