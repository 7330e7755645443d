package dev.regent.reconcile;

import dev.regent.apply.ActionResult;
import dev.regent.plan.Action;
import java.io.PrintStream;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reports through logback: one line per action with build, action, outcome and duration. */
public final class LoggingListener implements ReconcileListener {
    private static final Logger LOG = LoggerFactory.getLogger("regent");
    private final PrintStream console;
    /** After a converged reconcile, further no-op ones log at debug level only. */
    private boolean quiet;

    /** console, when given, also gets a human line per action (the CLI's progress). */
    public LoggingListener(PrintStream console) {
        this.console = console;
    }

    @Override
    public void starting(Action action) {
        if (console != null) {
            console.printf("-> %s ...%n", action.describe());
            console.flush();
        }
    }

    @Override
    public void finished(Action action, ActionResult result, Duration took) {
        String seconds = String.format("%.1fs", took.toMillis() / 1000.0);
        if (result instanceof ActionResult.Done d) {
            LOG.info("action={} build={} outcome=done took={} {}", kind(action), action.build(), seconds, d.detail());
            if (console != null) {
                console.printf("   done in %s: %s%n", seconds, d.detail());
            }
        } else if (result instanceof ActionResult.Failed f) {
            LOG.error("action={} build={} outcome=failed took={} {}", kind(action), action.build(), seconds, f.reason());
            if (console != null) {
                console.printf("   FAILED after %s: %s%n", seconds, f.reason());
            }
        }
    }

    @Override
    public void drift(Action action) {
        LOG.warn("drift: the host no longer matched a converged desired state; will {}", action.describe());
        if (console != null) {
            console.printf("drift: will %s%n", action.describe());
        }
    }

    @Override
    public void progress(String message) {
        LOG.info(message);
        if (console != null) {
            console.printf("   %s%n", message);
        }
    }

    @Override
    public void ended(Outcome outcome) {
        if (outcome instanceof Outcome.Converged c) {
            if (c.actionsApplied() > 0 || !quiet) {
                LOG.info("reconcile converged after {} action(s)", c.actionsApplied());
            } else {
                LOG.debug("reconcile converged after 0 action(s)");
            }
            quiet = true;
            return;
        }
        quiet = false;
        if (outcome instanceof Outcome.Invalid i) {
            i.errors().forEach(e -> LOG.error("invalid desired state: {}", e));
        } else {
            LOG.warn("reconcile not converged: {}", String.join("; ", Outcome.reasons(outcome)));
        }
    }

    private static String kind(Action action) {
        return action.getClass().getSimpleName();
    }
}
