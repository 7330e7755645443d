package dev.regent.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.regent.approval.Approvals;
import dev.regent.fs.HostFiles;
import dev.regent.fs.HostLayout;
import dev.regent.gitops.WebhookAuth;
import dev.regent.history.PromotionHistory;
import dev.regent.reconcile.TriggerQueue;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GET /api/history?limit=N (the promotion history, newest last) and POST /api/approve
 * ({"build": "b", "by": "alice"}), which is authenticated exactly like POST /webhook: without a
 * valid signature or token it answers 401 and writes nothing. An approval then triggers a reconcile.
 */
final class PromotionRoutes {
    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 10_000;
    private static final Logger LOG = LoggerFactory.getLogger("regent.server");
    private final HostLayout layout;
    private final Clock clock;
    private final TriggerQueue triggers;
    private final WebhookAuth auth;

    private PromotionRoutes(HostLayout layout, Clock clock, TriggerQueue triggers, WebhookAuth auth) {
        this.layout = layout;
        this.clock = clock;
        this.triggers = triggers;
        this.auth = auth;
    }

    static void register(HttpServer server, HostLayout layout, Clock clock, TriggerQueue triggers, WebhookAuth auth) {
        var routes = new PromotionRoutes(layout, clock, triggers, auth);
        server.createContext("/api/history", OperatorServer.guarded(routes::history));
        server.createContext("/api/approve", OperatorServer.guarded(routes::approve));
    }

    private void history(HttpExchange exchange) throws IOException {
        if (!exchange.getRequestURI().getPath().equals("/api/history")) {
            OperatorServer.respond(exchange, 404, "not found\n");
            return;
        }
        if (!exchange.getRequestMethod().equals("GET")) {
            OperatorServer.respond(exchange, 405, "use GET\n");
            return;
        }
        Optional<Integer> limit = limit(exchange.getRequestURI().getRawQuery());
        if (limit.isEmpty()) {
            OperatorServer.respondBytes(exchange, 400, "application/json",
                    OperatorServer.errorJson("limit must be a whole number from 1 to " + MAX_LIMIT));
            return;
        }
        var entries = PromotionHistory.read(PromotionHistory.file(layout), limit.get());
        OperatorServer.respondBytes(exchange, 200, "application/json",
                HostFiles.JSON.writeValueAsBytes(Map.of("entries", entries)));
    }

    static Optional<Integer> limit(String query) {
        if (query == null || query.isEmpty()) {
            return Optional.of(DEFAULT_LIMIT);
        }
        Optional<Integer> limit = Optional.of(DEFAULT_LIMIT);
        for (String pair : query.split("&")) {
            if (pair.startsWith("limit=")) {
                String value = pair.substring("limit=".length());
                limit = value.matches("[0-9]{1,5}") && Integer.parseInt(value) >= 1 && Integer.parseInt(value) <= MAX_LIMIT
                        ? Optional.of(Integer.parseInt(value)) : Optional.empty();
            }
        }
        return limit;
    }

    private void approve(HttpExchange exchange) throws IOException {
        if (!exchange.getRequestURI().getPath().equals("/api/approve")) {
            OperatorServer.respond(exchange, 404, "not found\n");
            return;
        }
        if (!exchange.getRequestMethod().equals("POST")) {
            OperatorServer.respond(exchange, 405, "use POST\n");
            return;
        }
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readNBytes(OperatorServer.MAX_BODY_BYTES + 1);
        }
        if (body.length > OperatorServer.MAX_BODY_BYTES) {
            OperatorServer.respond(exchange, 413, "body over " + OperatorServer.MAX_BODY_BYTES + " bytes\n");
            return;
        }
        Optional<String> rejected = auth.reject(name -> Optional.ofNullable(exchange.getRequestHeaders().getFirst(name)), body);
        if (rejected.isPresent()) {
            LOG.warn("approval refused from {}: {}", exchange.getRemoteAddress().getAddress().getHostAddress(), rejected.get());
            OperatorServer.respond(exchange, 401, "unauthorized: " + rejected.get() + "\n");
            return;
        }
        JsonNode request;
        try {
            request = HostFiles.JSON.readTree(body);
        } catch (IOException e) {
            request = null;
        }
        if (request == null || !request.path("build").isTextual()
                || !(request.path("by").isMissingNode() || request.path("by").isTextual())) {
            OperatorServer.respondBytes(exchange, 400, "application/json",
                    OperatorServer.errorJson("expected {\"build\": \"b\", \"by\": \"alice\"}"));
            return;
        }
        String by = request.path("by").isTextual() ? request.path("by").asText() : "api";
        var result = Approvals.approve(layout, request.path("build").asText(), by, clock);
        if (result instanceof Approvals.Result.Refused refused) {
            OperatorServer.respondBytes(exchange, 409, "application/json", OperatorServer.errorJson(refused.reason()));
            return;
        }
        var approval = ((Approvals.Result.Approved) result).approval();
        LOG.info("build {} (commit {}) approved by {}", approval.build(), approval.commit(), approval.by());
        triggers.fire("approval of build " + approval.build() + " by " + approval.by());
        OperatorServer.respondBytes(exchange, 202, "application/json", HostFiles.JSON.writeValueAsBytes(approval));
    }
}
