package dev.regent.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.regent.fs.HostFiles;
import dev.regent.gitops.WebhookAuth;
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
        try {
            server = HttpServer.create(address, 16);
        } catch (IOException e) {
            throw new UncheckedIOException("could not listen on " + address, e);
        }
        server.setExecutor(Executors.newFixedThreadPool(2, r -> {
            Thread thread = new Thread(r, "regent-http");
            thread.setDaemon(true);
            return thread;
        }));
        server.createContext("/", exchange -> {
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
        });
        server.createContext("/healthz", exchange -> {
            if (!exchange.getRequestURI().getPath().equals("/healthz")) {
                respond(exchange, 404, "not found\n");
            } else if (!exchange.getRequestMethod().equals("GET")) {
                respond(exchange, 405, "use GET\n");
            } else {
                respond(exchange, 200, "ok\n");
            }
        });
        server.createContext("/webhook", exchange -> webhook(exchange, triggers, auth));
    }

    public void start() {
        server.start();
        LOG.info("listening on http://{}:{}", server.getAddress().getHostString(), server.getAddress().getPort());
    }

    public int port() {
        return server.getAddress().getPort();
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

    private static void respond(HttpExchange exchange, int status, String text) throws IOException {
        respondBytes(exchange, status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
    }

    private static void respondBytes(HttpExchange exchange, int status, String type, byte[] bytes) throws IOException {
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
