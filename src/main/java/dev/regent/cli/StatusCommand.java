package dev.regent.cli;

import dev.regent.fs.HostFiles;
import dev.regent.gitops.SyncStatus;
import dev.regent.plan.Plans;
import dev.regent.server.FleetStatus;
import dev.regent.status.HostStatus;
import dev.regent.status.SiteStatus;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Shows each build (commit, role, processes, health) and whether the host has converged. "
                + "Exit 0 when converged, 1 when not, 2 when the desired state is invalid.")
final class StatusCommand implements Callable<Integer> {
    @Mixin
    CommonOptions options;

    @Mixin
    OutputOption output;

    @Override
    public Integer call() throws Exception {
        var desired = options.load(System.err);
        var layout = new dev.regent.fs.HostLayout(options.root());
        var sync = SyncStatus.read(layout.run());
        PrintWriter out = output.out();
        if (desired.isEmpty()) {
            // Still say what the loop applied: with GitOps the file on disk may not be what runs.
            if (!output.text()) {
                output.print(Map.of("converged", false,
                        "errors", List.of("desired-state file rejected, see stderr"), "sync", sync));
            } else {
                sync.ifPresent(s -> printSync(out, s));
            }
            return 2;
        }
        var wiring = new Wiring(options.root());
        var observed = wiring.observe(desired.get());
        var plan = Plans.now(desired.get(), observed, wiring.clock);
        var status = HostStatus.of(desired.get(), observed, plan, sync, wiring.clock.instant());
        var receivers = dev.regent.notify.Notifier.read(wiring.layout);
        var fleet = FleetStatus.read(wiring.layout, desired.get(), wiring.clock.instant());
        if (!output.text()) {
            var tree = HostFiles.JSON.<com.fasterxml.jackson.databind.node.ObjectNode>valueToTree(status);
            tree.set("notifications", HostFiles.JSON.valueToTree(receivers));
            fleet.ifPresent(f -> tree.set("fleet", HostFiles.JSON.valueToTree(f)));
            output.print(tree);
        } else {
            printTable(out, status);
            receivers.forEach(r -> out.println("notifications: " + r.describe()));
            HostFiles.readJson(wiring.layout.lastReconcile(), RunCommand.LastReconcile.class)
                    .ifPresent(last -> out.println("last reconcile by regent run: " + last.outcome() + " of "
                            + last.revision() + " at " + last.at()
                            + (last.reasons().isEmpty() ? "" : ": " + String.join("; ", last.reasons()))));
            sync.ifPresent(s -> printSync(out, s));
            fleet.ifPresent(f -> out.println(f.line()));
        }
        return status.converged() ? 0 : 1;
    }

    private static void printSync(PrintWriter out, SyncStatus sync) {
        out.printf("git: %s %s   applied %s   attempted %s%n", sync.source(), sync.branch(),
                sync.applied().orElse("(none)"), sync.attempted().orElse("(none)"));
        sync.reason().ifPresent(r -> out.println("  not applied: " + r));
        sync.fetchError().ifPresent(e -> out.println("  remote unreachable: " + e));
    }

    /** The site lines under the roles line; shown only with spec.site. */
    static void printSite(PrintWriter out, SiteStatus site) {
        out.printf("site: live %s   stage %s   %s%n", names(site.live()), names(site.stage()),
                site.tls() ? "HTTPS (HTTP redirects)" : "HTTP only");
        site.certificateFile().ifPresent(file -> out.printf("certificate %s: %s%n", file, site.certificate()
                .map(c -> c.subject() + ", issued by " + c.issuer() + ", " + c.expiry()
                        + (c.expiresSoon() && c.daysLeft() >= 0 ? "  RENEW SOON" : ""))
                .orElse(site.refusal().isPresent() ? "unusable" : "not read")));
        site.refusal().ifPresent(r -> out.println("  refused: " + r));
    }

    private static String names(List<String> names) {
        return names.isEmpty() ? "(port only)" : String.join(", ", names);
    }

    private static void printTable(PrintWriter out, HostStatus status) {
        out.printf("live: %s   stage: %s   %s%n", status.live().orElse("(none)"), status.stage().orElse("(none)"),
                status.converged() ? "CONVERGED" : "NOT CONVERGED");
        status.site().ifPresent(site -> printSite(out, site));
        out.printf("%-6s %-11s %-8s %-12s %-10s %-10s %-9s %-8s %-8s%n",
                "BUILD", "ROLE", "LISTED", "COMMIT", "VASSAL", "POOL", "WORKERS", "HEALTHY", "REQUESTS");
        for (var b : status.builds()) {
            out.printf("%-6s %-11s %-8s %-12s %-10s %-10s %-9s %-8s %-8d%n",
                    b.name(), b.roles().isEmpty() ? "-" : String.join(",", b.roles()),
                    b.listed() ? (b.active() ? "active" : "inactive") : "no",
                    b.commit().map(c -> c.substring(0, Math.min(12, c.length()))).orElse("-"),
                    b.vassal(), b.pool(), b.accepting() + "/" + b.workers(), b.healthy() ? "yes" : "no", b.requests());
            b.failure().ifPresent(f -> out.printf("       failed at step \"%s\":%n%s%n", f.step(),
                    f.output().strip().indent(8).stripTrailing()));
            b.migration().ifPresent(m -> out.printf("       migrations: %s%s%n", m.state(),
                    m.plan().isEmpty() ? "" : " " + String.join(", ", m.plan())));
            b.migration().flatMap(m -> m.postMigrate()).ifPresent(p -> out.printf("       postMigrate: %s at %s%s%n",
                    p.status(), p.at(), p.output().isBlank() ? "" : ":\n" + p.output().strip().indent(8).stripTrailing()));
            b.rollbackUnsafeBecause().ifPresent(r -> out.printf("       not safe to roll back to: %s%n", r));
        }
        status.plan().forEach(p -> out.println("to do: " + p));
        status.blocked().forEach(p -> out.println("blocked: " + p.message()));
        status.errors().forEach(p -> out.println("error: " + p));
    }
}
