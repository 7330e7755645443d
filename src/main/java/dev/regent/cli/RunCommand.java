package dev.regent.cli;

import dev.regent.fs.HostFiles;
import dev.regent.reconcile.FileTrigger;
import dev.regent.reconcile.HostLock;
import dev.regent.reconcile.LoggingListener;
import dev.regent.reconcile.Outcome;
import dev.regent.reconcile.ResyncSchedule;
import dev.regent.reconcile.TriggerQueue;
import dev.regent.spec.DesiredState;
import dev.regent.spec.LoadResult;
import dev.regent.spec.SpecLoader;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Runs the reconcile loop: on every change of the desired-state file and every resync period. "
                + "An invalid file is reported and the last good desired state keeps being enforced.")
final class RunCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger("regent.run");

    @Mixin
    CommonOptions options;

    @Option(names = "--resync", defaultValue = "30", description = "Seconds between periodic resyncs (default: ${DEFAULT-VALUE}).")
    long resyncSeconds;

    @Option(names = "--once", description = "Stop after the first reconcile that converges (for tests and scripts).")
    boolean once;

    @Override
    public Integer call() throws Exception {
        var wiring = new Wiring(options.root());
        HostLock lock = acquire(wiring);
        var queue = new TriggerQueue();
        var retries = Executors.newSingleThreadScheduledExecutor();
        var reconciler = wiring.reconciler(new LoggingListener(null));
        Optional<DesiredState> lastGood = Optional.empty();
        int failures = 0;
        try (lock; var files = new FileTrigger(options.file(), queue);
             var resync = new ResyncSchedule(Duration.ofSeconds(resyncSeconds), queue)) {
            LOG.info("watching {} and resyncing every {} s", options.file(), resyncSeconds);
            queue.fire("start");
            while (true) {
                String reason = queue.await(Duration.ofMinutes(5));
                if (reason == null) {
                    continue;
                }
                LOG.debug("reconcile triggered by {}", reason);
                LoadResult loaded = SpecLoader.load(options.file());
                if (loaded instanceof LoadResult.Valid v) {
                    lastGood = Optional.of(v.state());
                } else {
                    var errors = ((LoadResult.Invalid) loaded).errors();
                    errors.forEach(e -> LOG.error("invalid desired state, keeping the last good one: {}", e));
                    record(wiring, "Invalid", errors.stream().map(Object::toString).toList());
                }
                if (lastGood.isEmpty()) {
                    continue;
                }
                Outcome outcome = reconciler.reconcile(lastGood.get());
                record(wiring, outcome.getClass().getSimpleName(), Outcome.reasons(outcome));
                if (outcome instanceof Outcome.Converged && once) {
                    return 0;
                }
                if (outcome instanceof Outcome.Failed f && f.retryable()) {
                    long delay = Math.min(60, 2L << Math.min(failures++, 5));
                    LOG.warn("retrying in {} s", delay);
                    retries.schedule(() -> queue.fire("retry"), delay, TimeUnit.SECONDS);
                } else {
                    failures = 0;
                }
            }
        } finally {
            retries.shutdownNow();
        }
    }

    private HostLock acquire(Wiring wiring) throws InterruptedException {
        boolean told = false;
        while (true) {
            var holder = new StringBuilder();
            var lock = HostLock.tryAcquire(wiring.layout.run().resolve("regent.lock"), ApplyCommand.owner("run"), holder);
            if (lock.isPresent()) {
                return lock.get();
            }
            if (!told) {
                LOG.warn("another Regent holds the host lock ({}); waiting for it", holder);
                told = true;
            }
            TimeUnit.SECONDS.sleep(2);
        }
    }

    private static void record(Wiring wiring, String outcome, List<String> reasons) {
        HostFiles.writeJson(wiring.layout.run().resolve("last-reconcile.json"), new LastReconcile(Instant.now(), outcome, reasons));
    }

    /** The loop's last result, read by {@code regent status}. */
    record LastReconcile(Instant at, String outcome, List<String> reasons) {
    }
}
