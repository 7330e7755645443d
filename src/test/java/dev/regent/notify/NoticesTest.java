package dev.regent.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.regent.events.PromotionEvent;
import dev.regent.events.PromotionEvent.Kind;
import dev.regent.fs.HostFiles;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The bodies of each receiver kind, from plain events. */
class NoticesTest {
    static PromotionEvent event(Kind kind, String reason) {
        return new PromotionEvent(kind, Instant.parse("2026-11-28T14:00:00Z"), "file:" + "ab".repeat(32), Optional.empty(),
                Optional.of("a"), Optional.of("b"), "file", Optional.of(Duration.ofMillis(812)), reason);
    }

    @Test
    void githubStatesFollowTheEventAndTheDescriptionFitsGithubsLimit() throws Exception {
        Map<Kind, String> expected = Map.of(Kind.STARTED, "in_progress", Kind.SUCCEEDED, "success", Kind.FAILED, "failure",
                Kind.ROLLED_BACK, "failure", Kind.BUILD_FAILED, "error", Kind.APPROVAL_WAITING, "pending");
        for (Kind kind : Kind.values()) {
            JsonNode body = HostFiles.JSON.readTree(Notices.github("demo", event(kind, "x".repeat(300))));
            assertThat(body.path("state").asText()).as("%s", kind).isEqualTo(expected.get(kind));
            assertThat(body.path("description").asText()).hasSizeLessThanOrEqualTo(Notices.GITHUB_DESCRIPTION);
            assertThat(body.path("environment").asText()).isEqualTo("demo");
        }
    }

    @Test
    void summariesSayWhatHappened() {
        assertThat(Notices.summary("demo", event(Kind.SUCCEEDED, "")))
                .isEqualTo("demo: promotion a -> b succeeded (revision file:abababababab, file, 0.8 s)");
        assertThat(Notices.summary("demo", event(Kind.APPROVAL_WAITING, "")))
                .startsWith("demo: promotion a -> b waits for approval (regent approve b)");
        assertThat(Notices.summary("demo", event(Kind.BUILD_FAILED, "pip failed"))).startsWith("demo: build b failed (")
                .endsWith("): pip failed");
    }

    @Test
    void theIdIsTheSameForTheSameEventAndRevisionOnly() {
        assertThat(Notices.id(event(Kind.SUCCEEDED, "one"))).isEqualTo(Notices.id(event(Kind.SUCCEEDED, "two")))
                .isNotEqualTo(Notices.id(event(Kind.FAILED, "one"))).hasSize(32);
    }
}
