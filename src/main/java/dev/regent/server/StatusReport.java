package dev.regent.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.regent.fs.HostFiles;
import dev.regent.fs.HostLayout;
import dev.regent.gitops.Revision;
import dev.regent.gitops.SyncStatus;
import dev.regent.observe.MigrationRecord;
import dev.regent.observe.ObservedHost;
import dev.regent.plan.BlockReason;
import dev.regent.plan.Plan;
import dev.regent.plan.Plans;
import dev.regent.reconcile.Journal;
import dev.regent.reconcile.LoopHealth;
import dev.regent.spec.DesiredState;
import dev.regent.status.HostStatus;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What /api/status serves: desired against observed per build (from a fresh observation, no docker
 * exec), Kubernetes-style conditions with their last transition, the plan, the last error and the
 * recent events from the journal; for a fleet host, its place in the fleet as its loop last saw it ({@link FleetStatus}).
 */
public final class StatusReport {
    private final Supplier<Optional<Revision>> revision;
    private final Function<DesiredState, ObservedHost> observe;
    private final HostLayout layout;
    private final Clock clock;
    private final Map<String, Transition> transitions = new HashMap<>();
    private final LoopHealth loop;

    public StatusReport(Supplier<Optional<Revision>> revision, Function<DesiredState, ObservedHost> observe,
                        HostLayout layout, Clock clock) {
        this(revision, observe, layout, clock, new LoopHealth());
    }

    /** loop: the running loop, whose failing passes make the host Degraded (reason LoopError). */
    public StatusReport(Supplier<Optional<Revision>> revision, Function<DesiredState, ObservedHost> observe,
                        HostLayout layout, Clock clock, LoopHealth loop) {
        this.revision = revision;
        this.observe = observe;
        this.layout = layout;
        this.clock = clock;
        this.loop = loop;
    }

    private record Transition(boolean status, Instant since) {
    }

    public Optional<HostStatus> status() {
        return revision.get().map(r -> {
            DesiredState desired = r.state();
            ObservedHost observed = observe.apply(desired);
            Plan plan = Plans.now(desired, observed, clock);
            return HostStatus.of(desired, observed, plan,
                    SyncStatus.read(layout.run()), clock.instant());
        });
    }

    public synchronized ObjectNode json() {
        Optional<Revision> current = revision.get();
        Optional<HostStatus> status = status();
        ObjectNode node = status.<ObjectNode>map(HostFiles.JSON::valueToTree).orElseGet(() -> {
            ObjectNode empty = HostFiles.JSON.createObjectNode();
            empty.put("converged", false);
            empty.putArray("builds");
            empty.putArray("plan");
            empty.putArray("blocked");
            empty.putArray("errors").add("no valid desired state has been read yet");
            return empty;
        });
        Optional<String> lastError = HostFiles.readJson(layout.lastReconcile(), ObjectNode.class)
                .filter(last -> !"Converged".equals(last.path("outcome").asText()))
                .map(last -> last.path("outcome").asText() + ": " + String.join("; ",
                        HostFiles.JSON.convertValue(last.path("reasons"), String[].class)));
        String observedRevision = current.map(Revision::id).orElse("");
        boolean converged = status.map(HostStatus::converged).orElse(false);
        boolean blocked = status.map(s -> !s.blocked().isEmpty() || !s.errors().isEmpty()).orElse(true);
        boolean progressing = status.map(s -> !s.plan().isEmpty()).orElse(false);
        ArrayNode conditions = node.putArray("conditions");
        condition(conditions, "Ready", converged, converged ? "Converged" : "NotConverged",
                converged ? "the host matches the desired state" : "the plan is not empty", observedRevision);
        condition(conditions, "Progressing", progressing, progressing ? "ActionsPending" : "Idle",
                status.map(s -> String.join("; ", s.plan())).orElse(""), observedRevision);
        migrated(conditions, status, observedRevision);
        Optional<String> loopError = loop.failing().map(LoopHealth.Failure::describe);
        boolean degraded = blocked || lastError.isPresent() || loopError.isPresent();
        condition(conditions, "Degraded", degraded, !degraded ? "Healthy" : loopError.isPresent() ? "LoopError"
                        : !blocked ? "ReconcileFailed"
                        : status.flatMap(s -> s.blocked().stream().findFirst()).map(b -> b.code().reason()).orElse("Blocked"),
                loopError.or(() -> status.map(s -> String.join("; ", s.blocked().stream().map(BlockReason::message).toList()))
                        .filter(m -> !m.isEmpty())).or(() -> lastError).orElse(""),
                observedRevision);
        node.put("lastError", loopError.or(() -> lastError).orElse(null));
        current.flatMap(r -> FleetStatus.read(layout, r.state(), clock.instant()))
                .ifPresent(fleet -> node.set("fleet", HostFiles.JSON.valueToTree(fleet)));
        node.set("events", HostFiles.JSON.valueToTree(Journal.read(layout.journal(), 30)));
        node.set("notifications", HostFiles.JSON.valueToTree(dev.regent.notify.Notifier.read(layout)));
        return node;
    }

    /** Migrated=False while a listed build's release phase was refused or failed (its record says which migration). */
    private void migrated(ArrayNode conditions, Optional<HostStatus> status, String revision) {
        var stopped = status.map(s -> s.builds().stream().filter(HostStatus.Build::listed)
                .filter(b -> b.migration().filter(m -> m.state() == MigrationRecord.State.REFUSED
                        || m.state() == MigrationRecord.State.FAILED).isPresent()).toList()).orElseGet(java.util.List::of);
        boolean refused = stopped.stream().anyMatch(b -> b.migration().get().state() == MigrationRecord.State.REFUSED);
        condition(conditions, "Migrated", stopped.isEmpty(), stopped.isEmpty() ? "Migrated"
                        : refused ? "MigrationRefused" : "MigrationFailed",
                String.join("; ", stopped.stream().map(b -> "build " + b.name() + ": "
                        + b.migration().get().failedMigration().map(m -> m + ": ").orElse("")
                        + b.migration().get().detail().lines().findFirst().orElse("")).toList()), revision);
    }

    private void condition(ArrayNode out, String type, boolean value, String reason, String message, String revision) {
        Transition previous = transitions.get(type);
        if (previous == null || previous.status() != value) {
            previous = new Transition(value, clock.instant());
            transitions.put(type, previous);
        }
        ObjectNode c = out.addObject();
        c.put("type", type);
        c.put("status", value ? "True" : "False");
        c.put("reason", reason);
        c.put("message", message);
        c.put("lastTransitionTime", previous.since().toString());
        c.put("observedRevision", revision);
    }
}
