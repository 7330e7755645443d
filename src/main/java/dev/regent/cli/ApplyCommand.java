package dev.regent.cli;

import dev.regent.reconcile.HostLock;
import dev.regent.reconcile.LoggingListener;
import dev.regent.reconcile.Outcome;
import java.lang.management.ManagementFactory;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "apply", mixinStandardHelpOptions = true,
        description = "Converges the host once, printing each action with its duration. Exit 0 when converged, 1 when "
                + "an action failed or something is blocked (the reason is printed), 2 when the desired state is invalid.")
final class ApplyCommand implements Callable<Integer> {
    @Mixin
    CommonOptions options;

    @Override
    public Integer call() {
        var desired = options.load(System.err);
        if (desired.isEmpty()) {
            return 2;
        }
        return converge(options, desired.get(), false);
    }

    /** Converges now; when another Regent holds the host, that one converges the change (ok when {@code othersMayDoIt}). */
    static int converge(CommonOptions options, dev.regent.spec.DesiredState desired, boolean othersMayDoIt) {
        var wiring = new Wiring(options.root());
        var holder = new StringBuilder();
        var lock = HostLock.tryAcquire(wiring.layout.run().resolve("regent.lock"), owner("apply"), holder);
        if (lock.isEmpty()) {
            System.err.println("another Regent is acting on this host (" + holder + "); it will converge the change");
            return othersMayDoIt ? 0 : 1;
        }
        try (var held = lock.get()) {
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

    static String owner(String command) {
        return "regent " + command + " pid " + ProcessHandle.current().pid() + " on " + hostName();
    }

    private static String hostName() {
        String name = ManagementFactory.getRuntimeMXBean().getName();
        return name.contains("@") ? name.substring(name.indexOf('@') + 1) : name;
    }
}
