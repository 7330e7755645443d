package dev.regent.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A generic JSON webhook receiver on a loopback port in the test JVM: it answers 200 to every POST
 * and records each notice with whether its X-Regent-Signature is the HMAC-SHA256 of its body under
 * {@code secret} (computed here, not with the operator's code).
 */
final class NoticeReceiver implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One notice as it arrived. */
    record Notice(String event, String revision, String from, String to, String id, String delivery, boolean signed) {
        String key() {
            return event + " " + revision;
        }
    }

    final List<Notice> notices = new CopyOnWriteArrayList<>();
    private final HttpServer server;
    private final byte[] secret;

    NoticeReceiver(String secret) throws IOException {
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.createContext("/hooks/regent", exchange -> {
            try (exchange) {
                byte[] body = exchange.getRequestBody().readAllBytes();
                JsonNode json = JSON.readTree(body);
                String signature = String.valueOf(exchange.getRequestHeaders().getFirst("X-Regent-Signature"));
                notices.add(new Notice(json.path("event").asText(), json.path("revision").asText(),
                        json.path("from").asText(), json.path("to").asText(), json.path("id").asText(),
                        String.valueOf(exchange.getRequestHeaders().getFirst("X-Regent-Delivery")),
                        signature.equals("sha256=" + hmac(body))));
                exchange.sendResponseHeaders(200, -1);
            }
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks/regent";
    }

    /** How many notices arrived per (event, revision). */
    Map<String, Long> countsByEventAndRevision() {
        return notices.stream().collect(Collectors.groupingBy(Notice::key, Collectors.counting()));
    }

    Map<String, List<Notice>> byKey() {
        return notices.stream().collect(Collectors.groupingBy(Notice::key));
    }

    <T> List<T> each(Function<Notice, T> f) {
        return notices.stream().map(f).toList();
    }

    private String hmac(byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Stops listening: from then on a connection to its port is refused. */
    @Override
    public void close() {
        server.stop(0);
    }
}
