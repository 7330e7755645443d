package dev.regent.cli;

import dev.regent.apply.Executor;
import dev.regent.apply.FleetSteps;
import dev.regent.apply.HostContext;
import dev.regent.apply.Provenance;
import dev.regent.apply.Waiter;
import dev.regent.docker.DockerJavaAdapter;
import dev.regent.docker.DockerPort;
import dev.regent.events.PromotionEvents;
import dev.regent.fs.HostLayout;
import dev.regent.observe.ObservedHost;
import dev.regent.observe.Observer;
import dev.regent.observe.SlotLedger;
import dev.regent.reconcile.FleetLink;
import dev.regent.reconcile.FleetMember;
import dev.regent.reconcile.ReconcileListener;
import dev.regent.reconcile.Reconciler;
import dev.regent.spec.DesiredState;
import dev.regent.time.Sleeper;
import dev.regent.traffic.LoggedRequest;
import dev.regent.traffic.NginxLogRotation;
import dev.regent.traffic.TrafficFeed;
import dev.regent.traffic.TrafficFollower;
import dev.regent.traffic.TrafficLog;
import dev.regent.traffic.TrafficView;
import dev.regent.traffic.TrafficWindow;
import dev.regent.uwsgi.StatsReader;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** Builds the operator from its parts for one project folder. */
final class Wiring {
    final HostLayout layout;
    final DockerPort docker;
    final StatsReader stats = new StatsReader(Duration.ofSeconds(2));
    final Clock clock = Clock.systemUTC();
    final Sleeper sleeper = Sleeper.real();
    final Observer observer;

    final Optional<Path> followedRepo;
    /** The fleet this host moves live with, if any; its slots are noted in {@link #slots}. */
    final Optional<FleetMember> fleet;
    private FleetLink fleetLink;
    private final SlotLedger slots = new SlotLedger();
    /** What the analysis of a new live build judges: nginx's figures while {@link #followTraffic} runs, NONE before. */
    private volatile TrafficView traffic = TrafficView.NONE;
    private volatile PromotionEvents events = PromotionEvents.NONE;

    Wiring(Path root) {
        this(root, null);
    }

    /** followedRepo: the mirror of the followed git repository, which source.repo "." then names. */
    Wiring(Path root, Path followedRepo) {
        this(root, followedRepo, Optional.empty());
    }

    /** fleet: this host's membership of a fleet (its name and fleet store); empty: it moves live on its own. */
    Wiring(Path root, Path followedRepo, Optional<FleetMember> fleet) {
        this.fleet = fleet;
        this.layout = new HostLayout(root);
        this.docker = DockerJavaAdapter.fromEnvironment();
        this.observer = new Observer(layout, docker, stats, (build, from, to) -> traffic.figures(build, from, to), clock);
        this.followedRepo = Optional.ofNullable(followedRepo);
    }

    ObservedHost observe(DesiredState desired) {
        return observer.observe(desired.name(), desired.site(), desired.promotion());
    }

    /** As the loop observes for revision: with the fleet's turn when this host is in a fleet (reads the fleet store). */
    ObservedHost observeInFleet(DesiredState desired, String revision) {
        return fleetLink().observe(desired, revision, observe(desired));
    }

    private synchronized FleetLink fleetLink() {
        if (fleetLink == null) {
            fleetLink = fleet.map(m -> FleetLink.of(m, slots, clock)).orElse(FleetLink.NONE);
        }
        return fleetLink;
    }

    /** The sinks told of every promotion event (history, notifications): the one fan-out point; each sink's failure is its own. */
    void events(PromotionEvents... sinks) {
        var all = List.of(sinks);
        this.events = event -> all.forEach(sink -> {
            try {
                sink.told(event);
            } catch (RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger("regent").warn("a promotion event sink failed: {}", e.toString());
            }
        });
    }

    Executor executor(DesiredState desired, Consumer<String> progress) {
        return executor(desired, Provenance.UNKNOWN, progress);
    }

    Executor executor(DesiredState desired, Provenance provenance, Consumer<String> progress) {
        var defaults = HostContext.Timeouts.defaults();
        var timeouts = new HostContext.Timeouts(defaults.step(), defaults.processUp(), defaults.processDown(),
                desired.healthTimeout(), defaults.nginx());
        var host = new HostContext(desired.name(), layout, docker, stats, clock,
                new Waiter(clock, sleeper, Duration.ofMillis(200)), timeouts, followedRepo);
        FleetSteps steps = fleet.map(m -> new FleetSteps(m.coordinator(), m.host(), slots, clock)).orElse(FleetSteps.NONE);
        return new Executor(host, desired.steps(), desired.dependencies(), progress, provenance, steps);
    }

    /** Per-build figures from nginx's traffic log while {@link #followTraffic} runs (regent run); NONE before (regent apply). */
    TrafficView traffic() {
        return traffic;
    }

    /**
     * Follows deploy/run/traffic/access.log every second on its own thread into a 15-minute window,
     * which {@link #traffic()} then answers from; close the follower to stop. project: the compose
     * project (the desired state's name) once known, to rotate the log in its nginx container.
     */
    TrafficFollower followTraffic(Supplier<Optional<String>> project, Consumer<LoggedRequest> metrics) {
        var window = new TrafficWindow(clock);
        // REGENT_TRAFFIC_ROTATE_BYTES: a smaller bound, so tests see rotations.
        long rotateAt = Optional.ofNullable(System.getenv("REGENT_TRAFFIC_ROTATE_BYTES")).map(Long::parseLong)
                .orElse(TrafficFeed.ROTATE_AT_BYTES);
        var feed = new TrafficFeed(TrafficLog.file(layout), TrafficFeed.MAX_READ_BYTES, rotateAt,
                new NginxLogRotation(docker, layout, project), List.of(window::record, metrics));
        traffic = window;
        return TrafficFollower.start(feed, window, Duration.ofSeconds(1));
    }

    Reconciler reconciler(ReconcileListener listener) {
        return new Reconciler(this::observe, (d, p) -> executor(d, p, listener::progress), listener, clock,
                event -> events.told(event), fleetLink());
    }

    /** Closes the fleet store, which drops this host's lease and with it its record and slots. */
    void closeFleet() {
        fleet.ifPresent(m -> m.coordinator().close());
    }
}
