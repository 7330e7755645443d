package dev.regent.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.regent.events.PromotionEvent;
import dev.regent.fs.HostLayout;
import dev.regent.gitops.Revision;
import dev.regent.notify.Notifier;
import dev.regent.notify.Retry;
import dev.regent.observe.ObservedHost;
import dev.regent.observe.Observer;
import dev.regent.spec.NotificationSpec;
import dev.regent.uwsgi.StatsReader;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** /api/status names each receiver with its last delivery, last failure and queue, as the notifier left them. */
class NotificationStatusTest {
    @TempDir
    Path root;

    @Test
    void statusShowsEachReceiversState() throws Exception {
        var layout = new HostLayout(root);
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
        receiver.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(exchange.getRequestURI().getPath().equals("/up") ? 204 : 500, -1);
            exchange.close();
        });
        receiver.start();
        Files.createDirectories(root.resolve("deploy/secrets"));
        String base = "http://127.0.0.1:" + receiver.getAddress().getPort();
        Files.writeString(root.resolve("deploy/secrets/up"), base + "/up");
        Files.writeString(root.resolve("deploy/secrets/down"), base + "/down");
        var specs = List.of(new NotificationSpec("chat", NotificationSpec.Kind.SLACK, "deploy/secrets/up", Optional.empty()),
                new NotificationSpec("broken", NotificationSpec.Kind.SLACK, "deploy/secrets/down", Optional.empty()));
        try (var notifier = new Notifier(layout, () -> specs, () -> "demo", Clock.systemUTC(),
                new Retry(Duration.ofSeconds(30), Duration.ofSeconds(30), 5, Duration.ofSeconds(5))).start()) {
            notifier.told(new PromotionEvent(PromotionEvent.Kind.SUCCEEDED, Instant.now(), "rev1", Optional.empty(),
                    Optional.of("a"), Optional.of("b"), "git", Optional.empty(), ""));
            await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> {
                assertThat(notifier.states().get("chat").sent()).isEqualTo(1);
                assertThat(notifier.states().get("broken").lastFailure()).isPresent();
            });
        } finally {
            receiver.stop(0);
        }
        var observer = new Observer(layout, new dev.regent.docker.NoDocker(), new StatsReader(Duration.ofMillis(100)));
        var report = new StatusReport(() -> Optional.of(new Revision(OperatorServerTest.STATE, "file")),
                d -> observer.observeFiles(new ObservedHost.Containers(true, true)), layout, Clock.systemUTC());

        JsonNode receivers = report.json().path("notifications");

        assertThat(receivers).hasSize(2);
        JsonNode chat = receivers.get(0).path("name").asText().equals("chat") ? receivers.get(0) : receivers.get(1);
        JsonNode broken = receivers.get(0).path("name").asText().equals("broken") ? receivers.get(0) : receivers.get(1);
        assertThat(chat.path("kind").asText()).isEqualTo("slack");
        assertThat(chat.path("lastSuccess").isTextual()).isTrue();
        assertThat(chat.path("queued").asInt()).isZero();
        assertThat(broken.path("lastError").asText()).isEqualTo("HTTP 500");
        assertThat(broken.path("queued").asInt()).isEqualTo(1);
        assertThat(broken.path("lastSuccess").isNull()).isTrue();
    }
}
