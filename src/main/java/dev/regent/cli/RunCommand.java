package dev.regent.cli;

import dev.regent.approval.ApprovalWatch;
import dev.regent.fleet.ConnectingCoordinator;
import dev.regent.fleet.RolloutGate;
import dev.regent.fleet.etcd.EtcdCoordinator;
import java.net.URI;
import dev.regent.fs.HostFiles;
import dev.regent.gitops.CommitSigner;
import dev.regent.history.PromotionHistory;
import dev.regent.notify.Notifier;
import dev.regent.notify.Retry;
import java.util.function.Function;
import dev.regent.gitops.DesiredSource;
import dev.regent.gitops.FileSource;
import dev.regent.gitops.GitFollower;
import dev.regent.gitops.GitSource;
import dev.regent.gitops.Revision;
import dev.regent.gitops.SignatureCheck;
import dev.regent.gitops.SyncStatus;
import dev.regent.gitops.WebhookAuth;
import dev.regent.reconcile.AnalysisWake;
import dev.regent.reconcile.FileTrigger;
import dev.regent.reconcile.FleetMember;
import dev.regent.reconcile.ProcessTrigger;
import dev.regent.reconcile.HostLock;
import dev.regent.reconcile.Journal;
import dev.regent.reconcile.Listeners;
import dev.regent.reconcile.LoggingListener;
import dev.regent.reconcile.LoopHealth;
import dev.regent.reconcile.Outcome;
import dev.regent.reconcile.ResyncSchedule;
import dev.regent.reconcile.RunLoop;
import dev.regent.reconcile.TriggerQueue;
import dev.regent.server.Metrics;
import dev.regent.server.OperatorServer;
import dev.regent.server.StatusReport;
import dev.regent.spec.SpecError;
import dev.regent.traffic.TrafficWindow;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
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
        description = {"Runs the reconcile loop. Without --git: on every change of the desired-state file and every "
                + "resync. With --git: follows a branch (polled, and on webhook), validating each new commit before "
                + "applying it. An invalid state is reported and the last good one keeps being enforced.",
                "One Regent acts on a host at a time (a kernel lock on deploy/run/regent.lock). A second `run` waits "
                + "as a standby, naming the holder (command, pid, host, since when), and takes over within a second "
                + "of the holder exiting or being killed: the kernel drops the lock with its process, so no stale "
                + "lock survives a crash."})
final class RunCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger("regent.run");
    static final Duration LOCK_POLL = Duration.ofMillis(500);

    @Mixin
    CommonOptions options;

    /** The revision the loop last worked on: what the status API reports against. */
    private volatile Revision current;

    /** With --git: who signed a commit, for the promotion history. */
    private CommitSigner signer;

    @Option(names = "--resync", defaultValue = "30", description = "Seconds between periodic resyncs or polls (default: ${DEFAULT-VALUE}).")
    long resyncSeconds;

    @Option(names = "--git", description = "Follow this git repository (path, file://, ssh or https URL) instead of the file on disk.")
    String gitUrl;

    @Option(names = "--branch", description = "Branch to follow with --git (default: the remote's default branch, "
            + "the one its HEAD names, looked up at every fetch).")
    String branch;

    @Option(names = "--listen", defaultValue = "127.0.0.1:9090",
            description = "Address of the HTTP server (/healthz, /webhook) (default: ${DEFAULT-VALUE}); 'off' for none.")
    String listen;

    @Option(names = "--webhook-secret-env", defaultValue = "REGENT_WEBHOOK_SECRET",
            description = "Environment variable holding the webhook secret (default: ${DEFAULT-VALUE}); "
                    + "when set, unsigned or wrongly signed webhooks get 401.")
    String secretEnv;

    @Option(names = "--trusted-keys", description = "With --git: apply only commits signed (OpenPGP) by a key in this "
            + "armored keyring (gpg --export --armor KEY...); unsigned or unknown-key commits are refused and reported.")
    Path trustedKeys;

    @Option(names = "--once", description = "Stop after the first reconcile that converges (for tests and scripts).")
    boolean once;

    @Override
    public Integer call() throws Exception {
        var wiring = new Wiring(options.root(), gitUrl == null ? null : mirror(), fleetMember());
        HostLock lock = acquire(wiring);
        var queue = new TriggerQueue();
        var retries = Executors.newSingleThreadScheduledExecutor();
        var journal = new Journal(wiring.layout.journal(), wiring.clock);
        var metrics = new Metrics(wiring.clock);
        var traffic = wiring.followTraffic(() -> Optional.ofNullable(current).map(r -> r.state().name()), metrics::request);
        var reconciler = wiring.reconciler(Listeners.of(new LoggingListener(null), journal, metrics,
                new AnalysisWake(retries, queue, wiring.clock)));
        var health = new LoopHealth();
        var report = new StatusReport(() -> Optional.ofNullable(current), wiring::observe, wiring.layout, wiring.clock, health);
        DesiredSource source = source(wiring);
        try (lock; traffic; var files = gitUrl == null ? new FileTrigger(options.file(), queue) : null;
             var processes = new ProcessTrigger(wiring.layout.run(), queue);
             var approvals = new ApprovalWatch(wiring.layout.run(), queue::fire);
             var notifier = promotionEvents(wiring);
             var resync = new ResyncSchedule(Duration.ofSeconds(resyncSeconds), queue);
             var server = server(queue, report, metrics, health, traffic.window(), wiring)) {
            LOG.info("following {}; resync every {} s", source, resyncSeconds);
            queue.fire("start");
            new RunLoop(source, reconciler, queue, new RunLoop.Reports() {
                public void working(Revision revision) {
                    current = revision;
                    journal.revision(revision.id());
                }

                public void reconciled(Revision revision, Outcome outcome) {
                    record(wiring, revision, outcome);
                }
            }, health, delay -> retries.schedule(() -> queue.fire("retry"), delay.toMillis(), TimeUnit.MILLISECONDS),
                    wiring.clock).run(once);
            return 0;
        } finally {
            retries.shutdownNow();
            wiring.closeFleet();
        }
    }

    /** The fleet this host moves live with: none until the command line names the host and the fleet store. */
    private Optional<FleetMember> fleetMember() {
        Optional<String> host = options.host();
        List<URI> endpoints = options.etcd();
        if (host.isEmpty() && endpoints.isEmpty()) {
            return Optional.empty();
        }
        if (host.isEmpty()) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                    "--etcd is for a host of a fleet: pass --host NAME (or set REGENT_HOST) too");
        }
        if (endpoints.isEmpty()) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "--host " + host.get()
                    + " applies a fleet file, whose hosts move live only through the fleet store: pass --etcd URL[,URL...]"
                    + " (or set REGENT_ETCD_ENDPOINTS)");
        }
        var coordinator = new ConnectingCoordinator(
                (fleet, ttl) -> EtcdCoordinator.connect(endpoints, fleet, host.get(), ttl),
                () -> Optional.ofNullable(current).flatMap(r -> r.state().fleet()
                        .map(f -> new ConnectingCoordinator.Fleet(r.state().name(), f.rollout().slotTtl()))));
        return Optional.of(new FleetMember(host.get(), coordinator, RolloutGate::decide));
    }

    /** The promotion history and the notifier, told of every promotion event through {@link Wiring#events}. */
    private Notifier promotionEvents(Wiring wiring) {
        Function<String, Optional<String>> signers = signer == null ? revision -> Optional.empty() : signer::signer;
        var history = new PromotionHistory(wiring.layout, signers);
        var notifier = new Notifier(wiring.layout,
                () -> Optional.ofNullable(current).map(r -> r.state().notifications()).orElseGet(List::of),
                () -> Optional.ofNullable(current).map(r -> r.state().name()).orElse("regent"), wiring.clock, Retry.DEFAULT)
                .start();
        wiring.events(history, notifier);
        return notifier;
    }

    private Path mirror() {
        // "main" was the default branch before the remote's was followed: existing mirrors keep their name.
        String name = Integer.toHexString((gitUrl + " " + (branch == null ? "main" : branch)).hashCode());
        return new dev.regent.fs.HostLayout(options.root()).gitMirror(name);
    }

    private DesiredSource source(Wiring wiring) {
        if (gitUrl == null) {
            return new FileSource(options.file(), wiring.layout.run(), RunCommand::logRejected, options.host());
        }
        String url = Files.isDirectory(Path.of(gitUrl)) ? Path.of(gitUrl).toAbsolutePath().toString() : gitUrl;
        var git = new GitSource(url, Optional.ofNullable(branch), mirror(), Duration.ofSeconds(30));
        String file = options.file.isAbsolute() ? options.file.getFileName().toString() : options.file.toString();
        Optional<SignatureCheck> signatures = Optional.empty();
        if (trustedKeys != null) {
            try {
                signatures = Optional.of(SignatureCheck.fromKeyring(trustedKeys));
            } catch (java.io.IOException e) {
                throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), e.getMessage());
            }
        }
        signer = new CommitSigner(git, signatures);
        return new GitFollower(git, file, wiring.layout.run().resolve(SyncStatus.FILE), wiring.clock,
                RunCommand::logRejected, signatures, options.host());
    }

    private OperatorServer server(TriggerQueue queue, StatusReport report, Metrics metrics, LoopHealth health,
                                  TrafficWindow traffic, Wiring wiring) {
        if (listen.equals("off")) {
            return null;
        }
        int colon = listen.lastIndexOf(':');
        var address = new InetSocketAddress(listen.substring(0, colon), Integer.parseInt(listen.substring(colon + 1)));
        var auth = new WebhookAuth(Optional.ofNullable(System.getenv(secretEnv)));
        var server = new OperatorServer(address, queue, auth, report, metrics, health)
                .withPromotions(wiring.layout, wiring.clock, queue, auth);
        server.serveTraffic(traffic);
        server.start();
        return server;
    }

    private static void logRejected(List<SpecError> errors) {
        errors.forEach(e -> LOG.error("invalid desired state, keeping the last good one: {}", e));
    }

    /** Waits as a standby while another Regent holds the host, and takes over once it exits or dies. */
    private HostLock acquire(Wiring wiring) throws InterruptedException {
        Path file = wiring.layout.lock();
        HostLock lock = HostLock.await(file, ApplyCommand.owner("run"),
                holder -> LOG.warn("another Regent holds the host lock ({}); waiting for it to exit", holder.describe()),
                LOCK_POLL, wiring.sleeper);
        LOG.info("holding the host lock {}", file);
        return lock;
    }

    /** Best effort: a full deploy/run must not stop the loop; the status then shows an older reconcile. */
    private static void record(Wiring wiring, Revision revision, Outcome outcome) {
        try {
            HostFiles.writeJson(wiring.layout.lastReconcile(), new LastReconcile(Instant.now(),
                    revision.id(), outcome.getClass().getSimpleName(), Outcome.reasons(outcome)));
        } catch (java.io.UncheckedIOException e) {
            LOG.warn("could not record the last reconcile: {}", e.getMessage());
        }
    }

    /** The loop's last result, read by {@code regent status}. */
    record LastReconcile(Instant at, String revision, String outcome, List<String> reasons) {
    }
}
