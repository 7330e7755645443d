package dev.regent.traffic;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link TrafficFeed} on its own thread at a fixed delay, into a window. A failing tick is
 * logged (once while it keeps failing the same way) and the next one goes on.
 */
public final class TrafficFollower implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("regent.traffic");
    private final TrafficFeed feed;
    private final TrafficWindow window;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "regent-traffic");
        t.setDaemon(true);
        return t;
    });
    private Optional<String> lastFailure = Optional.empty();

    private TrafficFollower(TrafficFeed feed, TrafficWindow window) {
        this.feed = feed;
        this.window = window;
    }

    public static TrafficFollower start(TrafficFeed feed, TrafficWindow window, Duration every) {
        var follower = new TrafficFollower(feed, window);
        follower.thread.scheduleWithFixedDelay(follower::tick, 0, every.toMillis(), TimeUnit.MILLISECONDS);
        return follower;
    }

    public TrafficWindow window() {
        return window;
    }

    private void tick() {
        try {
            feed.tick();
            if (lastFailure.isPresent()) {
                LOG.info("following the traffic log again");
                lastFailure = Optional.empty();
            }
        } catch (Exception e) {
            String failure = e.getClass().getSimpleName() + ": " + e.getMessage();
            if (!lastFailure.equals(Optional.of(failure))) {
                LOG.warn("traffic log: {}; trying again every tick", failure);
                lastFailure = Optional.of(failure);
            }
        }
    }

    @Override
    public void close() throws Exception {
        thread.shutdownNow();
        thread.awaitTermination(5, TimeUnit.SECONDS);
        feed.close();
    }
}
