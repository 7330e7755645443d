package dev.regent.server;

import dev.regent.apply.ActionResult;
import dev.regent.plan.Action;
import dev.regent.reconcile.Outcome;
import dev.regent.reconcile.ReconcileListener;
import dev.regent.status.HostStatus;
import dev.regent.status.SiteStatus;
import dev.regent.traffic.LoggedRequest;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;

/** The operator's Prometheus metrics: reconciles, actions, drift, promotions, each build's workers, the site's certificate. */
public final class Metrics implements ReconcileListener {
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Clock clock;
    private final Counter reconciles = Counter.builder().name("regent_reconciles_total")
            .help("Reconciles by outcome").labelNames("outcome").register(registry);
    private final Counter actions = Counter.builder().name("regent_actions_total")
            .help("Actions applied, by kind and outcome").labelNames("kind", "outcome").register(registry);
    private final Histogram actionSeconds = Histogram.builder().name("regent_action_duration_seconds")
            .help("How long actions took, by kind").labelNames("kind").register(registry);
    private final Counter drift = Counter.builder().name("regent_drift_repairs_total")
            .help("Reconciles that found the host drifted from a converged state").register(registry);
    private final Counter promotions = Counter.builder().name("regent_promotions_total")
            .help("Builds made live").register(registry);
    private final Histogram promotionSeconds = Histogram.builder().name("regent_promotion_duration_seconds")
            .help("How long making a build live took").register(registry);
    private final Gauge lastSuccess = Gauge.builder().name("regent_last_successful_reconcile_timestamp_seconds")
            .help("When the host last converged (Unix time)").register(registry);
    private final Gauge buildRequests = Gauge.builder().name("regent_build_requests")
            .help("Requests served by a build's workers (from its stats socket)").labelNames("build").register(registry);
    private final Gauge buildWorkers = Gauge.builder().name("regent_build_workers")
            .help("Workers of a build's pool, by state").labelNames("build", "state").register(registry);
    private final Gauge buildRole = Gauge.builder().name("regent_build_role")
            .help("1 for the role a build holds").labelNames("build", "role").register(registry);

    private final Gauge certificateExpiry = Gauge.builder().name("regent_tls_certificate_expiry_timestamp_seconds")
            .help("When the site's TLS certificate (the leaf) expires (Unix time)").labelNames("certificate").register(registry);
    private final Gauge certificateUsable = Gauge.builder().name("regent_tls_certificate_usable")
            .help("1 when the site's certificate and key may be served, 0 when Regent refuses them (see regent status)")
            .labelNames("certificate").register(registry);
    private final Counter httpRequests = Counter.builder().name("regent_http_requests_total")
            .help("Requests a build answered, by status class (2xx..5xx), as nginx logged them")
            .labelNames("build", "code").register(registry);
    private final Histogram httpSeconds = Histogram.builder().name("regent_http_request_duration_seconds")
            .help("How long requests a build answered took, as nginx logged them ($request_time)").classicOnly()
            .classicUpperBounds(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)
            .labelNames("build").register(registry);

    public Metrics(Clock clock) {
        this.clock = clock;
    }

    @Override
    public void starting(Action action) {
    }

    @Override
    public void finished(Action action, ActionResult result, Duration took) {
        String kind = action.getClass().getSimpleName();
        String outcome = result instanceof ActionResult.Done ? "done" : "failed";
        actions.labelValues(kind, outcome).inc();
        actionSeconds.labelValues(kind).observe(took.toMillis() / 1000.0);
        if (action instanceof Action.SwapLive && result instanceof ActionResult.Done) {
            promotions.inc();
            promotionSeconds.observe(took.toMillis() / 1000.0);
        }
    }

    @Override
    public void drift(Action action) {
        drift.inc();
    }

    @Override
    public void progress(String message) {
    }

    @Override
    public void ended(Outcome outcome) {
        reconciles.labelValues(outcome.getClass().getSimpleName().toLowerCase()).inc();
        if (outcome instanceof Outcome.Converged) {
            lastSuccess.set(clock.instant().toEpochMilli() / 1000.0);
        }
    }

    /** A request nginx logged to the traffic log (fed by the traffic tailer's thread). */
    public void request(LoggedRequest request) {
        httpRequests.labelValues(request.build(), request.statusClass()).inc();
        httpSeconds.labelValues(request.build()).observe(request.seconds());
    }

    /** Only once the files were read: a certificate not looked at yet is neither usable nor refused. */
    private void certificate(SiteStatus site) {
        if (site.certificateFile().isEmpty() || (site.certificate().isEmpty() && site.refusal().isEmpty())) {
            return;
        }
        String file = site.certificateFile().get();
        site.certificate().ifPresent(c -> certificateExpiry.labelValues(file).set(c.notAfter().getEpochSecond()));
        certificateUsable.labelValues(file).set(site.usable() ? 1 : 0);
    }

    /** Refreshes the per-build gauges from a fresh observation, then writes the text format. */
    public synchronized void write(HostStatus status, OutputStream out) throws IOException {
        buildRequests.clear();
        buildWorkers.clear();
        buildRole.clear();
        for (HostStatus.Build build : status == null ? java.util.List.<HostStatus.Build>of() : status.builds()) {
            buildRequests.labelValues(build.name()).set(build.requests());
            for (String state : new String[] {"idle", "busy"}) {
                buildWorkers.labelValues(build.name(), state)
                        .set(build.workerList().stream().filter(w -> w.status().equals(state)).count());
            }
            build.roles().forEach(role -> buildRole.labelValues(build.name(), role).set(1));
        }
        certificateExpiry.clear();
        certificateUsable.clear();
        if (status != null) {
            status.site().ifPresent(this::certificate);
        }
        new PrometheusTextFormatWriter(false).write(out, registry.scrape());
    }
}
