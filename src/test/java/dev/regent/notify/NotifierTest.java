package dev.regent.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.regent.events.PromotionEvent;
import dev.regent.events.PromotionEvent.Kind;
import dev.regent.fs.HostFiles;
import dev.regent.fs.HostLayout;
import dev.regent.gitops.WebhookAuth;
import dev.regent.spec.NotificationSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The notifier against real HTTP receivers on loopback ports, over a real host folder. */
@Timeout(120)
class NotifierTest {
    static final Retry FAST = new Retry(Duration.ofMillis(20), Duration.ofMillis(100), 5, Duration.ofMillis(500));
    static final Instant T0 = Instant.parse("2026-11-28T14:00:00Z");
    static final String SECRET = "hmac-key";

    @TempDir
    Path root;
    final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
    }

    Receiver receiver() {
        var r = new Receiver();
        closing.add(r);
        return r;
    }

    Notifier notifier(Retry retry, NotificationSpec... receivers) {
        var n = new Notifier(new HostLayout(root), () -> List.of(receivers), () -> "demo", Clock.systemUTC(), retry).start();
        closing.add(0, n);
        return n;
    }

    NotificationSpec spec(String name, NotificationSpec.Kind kind, String url, boolean secret) throws IOException {
        secret(name + "-url", url);
        if (secret) {
            secret(name + "-secret", kind == NotificationSpec.Kind.GITHUB ? "ghp_token" : SECRET);
        }
        return new NotificationSpec(name, kind, "deploy/secrets/" + name + "-url",
                secret ? Optional.of("deploy/secrets/" + name + "-secret") : Optional.empty());
    }

    void secret(String file, String value) throws IOException {
        Files.createDirectories(root.resolve("deploy/secrets"));
        Files.writeString(root.resolve("deploy/secrets").resolve(file), value + "\n");
    }

    static PromotionEvent event(Kind kind, String revision) {
        return new PromotionEvent(kind, T0, revision, Optional.empty(), Optional.of("a"), Optional.of("b"), "git",
                Optional.of(Duration.ofMillis(812)), "");
    }

    static ReceiverState state(Notifier notifier, String name) {
        return notifier.states().getOrDefault(name, ReceiverState.fresh(name, "?"));
    }

    static JsonNode json(Receiver.Received r) throws IOException {
        return HostFiles.JSON.readTree(r.body());
    }

    static List<String> keys(Receiver receiver) throws IOException {
        var keys = new ArrayList<String>();
        for (var r : receiver.received) {
            JsonNode body = json(r);
            keys.add(body.path("event").asText() + " " + body.path("revision").asText());
        }
        return keys;
    }

    @Test
    void eachEventAndRevisionIsSentOnceOverRepeatsAndARestartSigned() throws Exception {
        Receiver hook = receiver();
        var spec = spec("ci", NotificationSpec.Kind.WEBHOOK, hook.url("/hook"), true);
        var first = notifier(FAST, spec);
        for (int i = 0; i < 3; i++) {
            first.told(event(Kind.STARTED, "rev1"));
            first.told(event(Kind.SUCCEEDED, "rev1"));
        }
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(hook.received).hasSize(2));
        first.close();

        var restarted = notifier(FAST, spec);
        restarted.told(event(Kind.STARTED, "rev1"));
        restarted.told(event(Kind.SUCCEEDED, "rev1"));
        restarted.told(event(Kind.STARTED, "rev2"));
        restarted.told(event(Kind.SUCCEEDED, "rev2"));
        // Notices reach a receiver in order: once the last arrived, any duplicate would have arrived before it.
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(hook.received).hasSizeGreaterThanOrEqualTo(4));

        assertThat(keys(hook)).containsExactly("started rev1", "succeeded rev1", "started rev2", "succeeded rev2");
        var auth = new WebhookAuth(Optional.of(SECRET));
        for (var r : hook.received) {
            assertThat(r.headers().getFirst("X-Regent-Signature")).startsWith("sha256=");
            assertThat(auth.reject(name -> Optional.ofNullable(r.headers().getFirst(name)), r.body())).isEmpty();
            assertThat(new WebhookAuth(Optional.of("other key"))
                    .reject(name -> Optional.ofNullable(r.headers().getFirst(name)), r.body())).isPresent();
        }
        JsonNode body = json(hook.received.get(1));
        assertThat(body.path("host").asText()).isEqualTo("demo");
        assertThat(body.path("from").asText()).isEqualTo("a");
        assertThat(body.path("to").asText()).isEqualTo("b");
        assertThat(body.path("trigger").asText()).isEqualTo("git");
        assertThat(body.path("durationMillis").asLong()).isEqualTo(812);
        assertThat(body.path("signer").isNull()).isTrue();
        assertThat(hook.received.get(0).path()).isEqualTo("/hook");
        assertThat(hook.received).extracting(r -> r.headers().getFirst("X-Regent-Delivery")).doesNotHaveDuplicates();
        assertThat(hook.received.get(0).headers().getFirst("X-Regent-Delivery")).isEqualTo(json(hook.received.get(0)).path("id").asText());
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(state(restarted, "ci").sent()).isEqualTo(4));
        assertThat(Notifier.read(new HostLayout(root))).singleElement()
                .satisfies(s -> assertThat(s.sent()).isEqualTo(4)).satisfies(s -> assertThat(s.queued()).isZero());
    }

    @Test
    void slackAndGithubGetTheirOwnBodies() throws Exception {
        Receiver slack = receiver();
        Receiver github = receiver();
        var notifier = notifier(FAST, spec("chat", NotificationSpec.Kind.SLACK, slack.url("/services/T0/B0/x"), false),
                spec("gh", NotificationSpec.Kind.GITHUB, github.url("/repos/o/r/deployments/7/statuses"), true));
        notifier.told(new PromotionEvent(Kind.ROLLED_BACK, T0, "0123456789abcdef0123", Optional.of("Alice"),
                Optional.of("b"), Optional.of("a"), "rollback", Optional.empty(), "error rate 5.0% over 1.0%"));

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(slack.received).hasSize(1);
            assertThat(github.received).hasSize(1);
        });
        JsonNode text = json(slack.received.get(0));
        assertThat(text.size()).isEqualTo(1);
        assertThat(text.path("text").asText()).isEqualTo("demo: rolled back b -> a (revision 0123456789ab signed by Alice,"
                + " rollback): error rate 5.0% over 1.0%");
        JsonNode status = json(github.received.get(0));
        assertThat(status.path("state").asText()).isEqualTo("failure");
        assertThat(status.path("environment").asText()).isEqualTo("demo");
        assertThat(status.path("description").asText()).startsWith("demo: rolled back b -> a");
        assertThat(github.received.get(0).headers().getFirst("Authorization")).isEqualTo("Bearer ghp_token");
        assertThat(github.received.get(0).path()).isEqualTo("/repos/o/r/deployments/7/statuses");
        assertThat(slack.received.get(0).headers().getFirst("X-Regent-Signature")).isNull();
    }

    @Test
    void aFailingReceiverIsRetriedWithBackOffUntilItTakesTheNotice() throws Exception {
        Receiver flaky = receiver();
        flaky.status = n -> n <= 2 ? 500 : 200;
        var notifier = notifier(FAST, spec("ci", NotificationSpec.Kind.WEBHOOK, flaky.url("/"), true));
        notifier.told(event(Kind.SUCCEEDED, "rev1"));

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(state(notifier, "ci").sent()).isEqualTo(1));
        ReceiverState state = state(notifier, "ci");
        assertThat(flaky.hits).hasValue(3);
        assertThat(flaky.received).hasSize(1);
        assertThat(state.lastError()).contains("HTTP 500");
        assertThat(state.lastFailure()).isPresent();
        assertThat(state.lastSuccess()).isPresent();
        assertThat(state.queued()).isZero();
        assertThat(Files.list(Notifier.folder(new HostLayout(root)).resolve("pending"))).isEmpty();
    }

    @Test
    void aReceiverThatNeverTakesANoticeIsGivenUpAfterTheLastAttempt() throws Exception {
        Receiver down = receiver();
        down.status = n -> 503;
        var notifier = notifier(new Retry(Duration.ofMillis(10), Duration.ofMillis(40), 3, Duration.ofMillis(500)),
                spec("ci", NotificationSpec.Kind.SLACK, down.url("/"), false));
        notifier.told(event(Kind.FAILED, "rev1"));

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(state(notifier, "ci").givenUp()).isEqualTo(1));
        assertThat(down.hits).hasValue(3);
        assertThat(state(notifier, "ci").lastError()).contains("gave up after 3 attempts: HTTP 503");
        assertThat(state(notifier, "ci").queued()).isZero();
    }

    @Test
    @Timeout(value = 100, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aHangingReceiverHoldsNeitherTheCallerNorTheOtherReceivers() throws Exception {
        Receiver hanging = receiver();
        hanging.gate = new CountDownLatch(1);
        Receiver healthy = receiver();
        var notifier = notifier(new Retry(Duration.ofMillis(50), Duration.ofMillis(200), 1000, Duration.ofMillis(300)),
                spec("slow", NotificationSpec.Kind.WEBHOOK, hanging.url("/"), true),
                spec("fast", NotificationSpec.Kind.WEBHOOK, healthy.url("/"), true));

        long start = System.nanoTime();
        for (int i = 0; i < 50; i++) {
            notifier.told(event(Kind.SUCCEEDED, "rev" + i));
        }
        System.out.printf("50 events told in %.2f ms while a receiver hangs%n", (System.nanoTime() - start) / 1e6);

        // The calls above returned while the hanging receiver has answered nothing: telling never waits for it.
        assertThat(hanging.gate.getCount()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(healthy.received).hasSize(50);
            assertThat(state(notifier, "slow").queued()).isEqualTo(50);
            assertThat(state(notifier, "slow").lastError()).hasValueSatisfying(e -> assertThat(e).contains("timed out"));
            assertThat(hanging.hits.get()).isGreaterThanOrEqualTo(2);
        });
        assertThat(hanging.received).isEmpty();

        hanging.gate.countDown();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(state(notifier, "slow").queued()).isZero());
        // The receiver went on with requests the notifier had given up waiting for, so it saw some notices
        // more than once: their delivery id is what lets it drop the repeats.
        assertThat(hanging.received.stream().map(r -> r.headers().getFirst("X-Regent-Delivery")).distinct().count())
                .isEqualTo(50);
        assertThat(keys(hanging).stream().distinct().toList()).hasSize(50).first().isEqualTo("succeeded rev0");
        assertThat(keys(healthy)).doesNotHaveDuplicates().hasSize(50);
    }

    @Test
    void noticesWaitingWhenTheOperatorStopsAreSentAfterItsRestart() throws Exception {
        Receiver down = receiver();
        down.status = n -> 502;
        var spec = spec("ci", NotificationSpec.Kind.WEBHOOK, down.url("/"), true);
        var first = notifier(new Retry(Duration.ofMillis(20), Duration.ofMillis(100), 1000, Duration.ofMillis(500)), spec);
        first.told(event(Kind.SUCCEEDED, "rev1"));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(state(first, "ci").lastError()).isPresent());
        first.close();
        assertThat(Files.list(Notifier.folder(new HostLayout(root)).resolve("pending"))).hasSize(1);

        Receiver up = receiver();
        secret("ci-url", up.url("/"));
        var restarted = notifier(FAST, spec);
        restarted.told(event(Kind.SUCCEEDED, "rev1"));
        restarted.told(event(Kind.SUCCEEDED, "rev2"));

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(up.received).hasSizeGreaterThanOrEqualTo(2));
        assertThat(keys(up)).containsExactly("succeeded rev1", "succeeded rev2");
        assertThat(down.received).isEmpty();
    }

    @Test
    void anUnreadableSecretFileIsAFailedAttemptThatNamesTheFileNotTheUrl() throws Exception {
        var spec = new NotificationSpec("ci", NotificationSpec.Kind.WEBHOOK, "deploy/secrets/missing-url",
                Optional.of("deploy/secrets/missing-key"));
        var notifier = notifier(FAST, spec);
        notifier.told(event(Kind.SUCCEEDED, "rev1"));

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(state(notifier, "ci").lastError())
                .hasValueSatisfying(e -> assertThat(e).contains("cannot read deploy/secrets/missing-url")));
    }
}
