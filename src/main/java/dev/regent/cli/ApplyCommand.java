package dev.regent.cli;

import dev.regent.fs.HostLayout;
import dev.regent.reconcile.HostLock;
import dev.regent.reconcile.LoggingListener;
import dev.regent.reconcile.Outcome;
import dev.regent.time.Sleeper;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "apply", mixinStandardHelpOptions = true,
        description = {"Converges the host once, printing each action with its duration.",
                "Exit codes: 0 converged; 1 an action failed or something is blocked (the reason is printed); 2 the "
                + "desired state is invalid; 3 another Regent holds the host lock (deploy/run/regent.lock): nothing "
                + "was changed, and the holder is named (command, pid, host, since when). A `regent run` holding it "
                + "converges the file itself. With --wait, apply waits for the holder to exit instead."})
final class ApplyCommand implements Callable<Integer> {
    /** Exit code when another Regent holds the host: distinct, so a script can tell "busy" from "failed". */
    static final int LOCKED = 3;

    @Mixin
    CommonOptions options;

    @Option(names = "--wait", description = "When another Regent holds the host lock, wait for it to exit (or die) "
            + "and then converge, instead of exiting with code 3.")
    boolean await;

    @Override
    public Integer call() throws InterruptedException {
        var desired = options.load(System.err);
        if (desired.isEmpty()) {
            return 2;
        }
        return converge(options, desired.get(), false, await);
    }

    /** Converges now; when a `regent run` holds the host, it converges the change (ok when {@code othersMayDoIt}). */
    static int converge(CommonOptions options, dev.regent.spec.DesiredState desired, boolean othersMayDoIt) {
        try {
            return converge(options, desired, othersMayDoIt, false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    private static int converge(CommonOptions options, dev.regent.spec.DesiredState desired, boolean othersMayDoIt,
                                boolean await) throws InterruptedException {
        // The lock first: a refusal should not wait for the Docker client to load.
        var file = new HostLayout(options.root()).lock();
        var holder = new AtomicReference<HostLock.Holder>();
        Optional<HostLock> lock = HostLock.tryAcquire(file, owner("apply"), holder::set);
        if (lock.isEmpty() && await) {
            lock = Optional.of(HostLock.await(file, owner("apply"),
                    h -> System.err.println("another Regent holds this host (" + h.describe() + "); waiting for it to exit"),
                    RunCommand.LOCK_POLL, Sleeper.real()));
        }
        if (lock.isEmpty()) {
            // Only a run loop re-reads the file: an apply holding the lock works on the state it loaded.
            boolean loop = holder.get().isRunLoop();
            if (othersMayDoIt && loop) {
                System.err.println("another Regent is acting on this host (" + holder.get().describe()
                        + "); it will converge the change");
                return 0;
            }
            System.err.println("another Regent holds this host (" + holder.get().describe() + "); nothing was changed. "
                    + (loop ? "It converges the desired-state file itself; use" : "Use") + " --wait to apply after it exits.");
            return LOCKED;
        }
        try (var held = lock.get()) {
            var wiring = new Wiring(options.root());
            var outcome = wiring.reconciler(new LoggingListener(System.out)).reconcile(desired);
            report(outcome);
            return Outcome.exitCode(outcome);
        }
    }

    static void report(Outcome outcome) {
        if (outcome instanceof Outcome.Converged c) {
            System.out.println("Converged (" + c.actionsApplied() + " action(s) applied).");
        } else if (outcome instanceof Outcome.Invalid) {
            System.err.println("desired state rejected against the host, nothing was changed:");
            Outcome.reasons(outcome).forEach(e -> System.err.println("  " + e));
        } else {
            System.err.println("Not converged:");
            Outcome.reasons(outcome).forEach(r -> System.err.println("  " + r));
        }
    }

    /** This process as the lock file names it (JSON) to whoever finds the host locked. */
    static HostLock.Owner owner(String command) {
        return new HostLock.Owner(command, ProcessHandle.current().pid(), hostName(),
                Instant.now().truncatedTo(ChronoUnit.SECONDS));
    }

    private static String hostName() {
        String name = ManagementFactory.getRuntimeMXBean().getName();
        return name.contains("@") ? name.substring(name.indexOf('@') + 1) : name;
    }
}
