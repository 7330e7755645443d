package dev.regent.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.regent.docker.DockerPort.DockerUnavailable;
import dev.regent.failure.Causes;
import dev.regent.fs.HostFiles;
import dev.regent.gitops.WebhookAuth;
import dev.regent.reconcile.LoopHealth;
import dev.regent.reconcile.TriggerQueue;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's HTTP side: GET /healthz, and POST /webhook, which only nudges the loop (the
 * payload is never trusted: Regent fetches and reads the commit itself). Bound to loopback unless
 * told otherwise.
 */
public final class OperatorServer implements AutoCloseable {
    public static final int MAX_BODY_BYTES = 1024 * 1024;
    private static final int MAX_DRAINED_BYTES = 8 * 1024 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger("regent.server");
    private final HttpServer server;

    /** With a report and metrics, also serves GET /, /api/status and /metrics (anything else: 405 or 404). */
    public OperatorServer(InetSocketAddress address, TriggerQueue triggers, WebhookAuth auth, StatusReport report,
                          Metrics metrics) {
        this(address, triggers, auth, report, metrics, new LoopHealth());
    }

    /**
     * With a report and metrics, also serves GET /, /api/status and /metrics (anything else: 405 or 404).
     * Every request gets an answer: 503 with a JSON reason while Docker is unavailable, 500 with one
     * for any other failure of a handler. /healthz answers 200 while the loop lives, saying whether
     * its last pass went through, and 503 once it has stopped.
     */
    public OperatorServer(InetSocketAddress address, TriggerQueue triggers, WebhookAuth auth, StatusReport report,
                          Metrics metrics, LoopHealth loop) {
        try {
            server = HttpServer.create(address, 16);
        } catch (IOException e) {
            throw new UncheckedIOException("could not listen on " + address, e);
        }
        errorJson(Causes.of(new DockerUnavailable("loads the classes an error answer needs", null)));
        server.setExecutor(Executors.newFixedThreadPool(2, r -> {
            Thread thread = new Thread(r, "regent-http");
            thread.setDaemon(true);
            return thread;
        }));
        server.createContext("/", guarded(exchange -> {
            String path = exchange.getRequestURI().getPath();
            boolean known = report != null && (path.equals("/") || path.equals("/api/status") || path.equals("/metrics"));
            if (!known) {
                respond(exchange, 404, "not found\n");
            } else if (!exchange.getRequestMethod().equals("GET")) {
                respond(exchange, 405, "use GET\n");
            } else if (path.equals("/")) {
                respondBytes(exchange, 200, "text/html; charset=utf-8", dashboard());
            } else if (path.equals("/api/status")) {
                respondBytes(exchange, 200, "application/json", HostFiles.JSON.writeValueAsBytes(report.json()));
            } else {
                var out = new java.io.ByteArrayOutputStream();
                metrics.write(report.status().orElse(null), out);
                respondBytes(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", out.toByteArray());
            }
        }));
        server.createContext("/healthz", guarded(exchange -> {
            if (!exchange.getRequestURI().getPath().equals("/healthz")) {
                respond(exchange, 404, "not found\n");
            } else if (!exchange.getRequestMethod().equals("GET")) {
                respond(exchange, 405, "use GET\n");
            } else if (loop.state() == LoopHealth.State.STOPPED) {
                respond(exchange, 503, "the reconcile loop has stopped\n");
            } else {
                respond(exchange, 200, loop.failing().map(f -> "ok, but " + f.describe() + "; retrying\n").orElse("ok\n"));
            }
        }));
        server.createContext("/webhook", guarded(exchange -> webhook(exchange, triggers, auth)));
    }

    /**
     * Answers for a handler that throws, instead of the JDK server's reset: 503 while Docker is
     * unavailable, else 500, each with {"error": reason}. Errors too (a class that no longer loads):
     * a monitor must see a failing operator, not a hanging one. The answer is sent before anything
     * that may need a class not loaded yet (describing, logging), and the classes the answer needs
     * are loaded when the server is built.
     */
    static HttpHandler guarded(HttpHandler handler) {
        return exchange -> {
            try {
                handler.handle(exchange);
            } catch (Throwable e) {
                int status = 500;
                String reason = e.getClass().getName();
                try {
                    Optional<DockerUnavailable> docker = dockerUnavailable(e);
                    status = docker.isPresent() ? 503 : 500;
                    reason = docker.map(d -> "Docker is unavailable: " + d.getMessage())
                            .orElseGet(() -> e.getClass().getName() + ": " + Causes.of(e));
                } catch (Throwable describing) {
                    // Keep the bare class name: the answer matters more than its detail.
                }
                try {
                    respondBytes(exchange, status, "application/json", errorJson(reason));
                } catch (IOException | RuntimeException alreadyAnswering) {
                    // The headers went out before the failure: all that is left is to end the answer.
                    exchange.close();
                }
                log(exchange, status, reason, e);
            }
        };
    }

    private static void log(HttpExchange exchange, int status, String reason, Throwable e) {
        try {
            String request = exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath();
            if (status == 503) {
                LOG.warn("{}: {}", request, reason);
            } else {
                LOG.error("{} failed", request, e);
            }
        } catch (Throwable logging) {
            // Logging may need classes that no longer load; the answer has gone out.
        }
    }

    private static Optional<DockerUnavailable> dockerUnavailable(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof DockerUnavailable d) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }

    /** Written by hand, not with Jackson: the failure being reported may be Jackson's own class loading. */
    static byte[] errorJson(String reason) {
        var json = new StringBuilder("{\"error\": \"");
        for (char c : reason.toCharArray()) {
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                default -> {
                    if (c < 0x20) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        return json.append("\"}\n").toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Also serves GET /api/traffic from this window (see {@link TrafficApi}). */
    public void serveTraffic(dev.regent.traffic.TrafficWindow window) {
        server.createContext("/api/traffic", guarded(exchange -> {
            var answer = TrafficApi.answer(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    exchange.getRequestURI().getRawQuery(), window);
            respondBytes(exchange, answer.status(), answer.type(), answer.body());
        }));
    }

    public void start() {
        server.start();
        LOG.info("listening on http://{}:{}", server.getAddress().getHostString(), server.getAddress().getPort());
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Also serves GET /api/history and POST /api/approve (authenticated as /webhook is) for this host. */
    public OperatorServer withPromotions(dev.regent.fs.HostLayout layout, java.time.Clock clock, TriggerQueue triggers,
                                         WebhookAuth auth) {
        PromotionRoutes.register(server, layout, clock, triggers, auth);
        return this;
    }

    private static void webhook(HttpExchange exchange, TriggerQueue triggers, WebhookAuth auth) throws IOException {
        if (!exchange.getRequestMethod().equals("POST")) {
            respond(exchange, 405, "use POST\n");
            return;
        }
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readNBytes(MAX_BODY_BYTES + 1);
            if (body.length > MAX_BODY_BYTES) {
                // Read (a bounded amount) before answering, so the client sees the 413 rather than a reset.
                byte[] sink = new byte[64 * 1024];
                long drained = 0;
                for (int n; drained < MAX_DRAINED_BYTES && (n = in.read(sink)) > 0; ) {
                    drained += n;
                }
                respond(exchange, 413, "body over " + MAX_BODY_BYTES + " bytes\n");
                return;
            }
        }
        Optional<String> rejected = auth.reject(name -> Optional.ofNullable(exchange.getRequestHeaders().getFirst(name)), body);
        if (rejected.isPresent()) {
            LOG.warn("webhook refused from {}: {}", exchange.getRemoteAddress().getAddress().getHostAddress(), rejected.get());
            respond(exchange, 401, "unauthorized: " + rejected.get() + "\n");
            return;
        }
        triggers.fire("webhook");
        respond(exchange, 202, "sync requested\n");
    }

    static void respond(HttpExchange exchange, int status, String text) throws IOException {
        respondBytes(exchange, status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
    }

    static void respondBytes(HttpExchange exchange, int status, String type, byte[] bytes) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private static byte[] dashboard() throws IOException {
        try (InputStream in = OperatorServer.class.getResourceAsStream("/dashboard/index.html")) {
            return in == null ? "<!doctype html><title>Regent</title><p>The dashboard is not packaged.</p>"
                    .getBytes(StandardCharsets.UTF_8) : in.readAllBytes();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
