package dev.regent.gitops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WebhookAuthTest {
    static final byte[] BODY = "{\"ref\":\"refs/heads/main\"}".getBytes(StandardCharsets.UTF_8);
    final WebhookAuth auth = new WebhookAuth(Optional.of("It's a Secret to Everybody"));

    Optional<String> check(Map<String, String> headers, byte[] body) {
        return auth.reject(name -> Optional.ofNullable(headers.get(name)), body);
    }

    @Test
    void githubsDocumentedExampleSignatureIsAccepted() {
        // The example from GitHub's "Validating webhook deliveries" documentation.
        byte[] hello = "Hello, World!".getBytes(StandardCharsets.UTF_8);
        assertThat(auth.hmac(hello)).isEqualTo("757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17");
        assertThat(check(Map.of(WebhookAuth.GITHUB, "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"), hello))
                .isEmpty();
    }

    @Test
    void aSignatureOfAnotherBodyIsRefused() {
        String signature = "sha256=" + auth.hmac("other".getBytes(StandardCharsets.UTF_8));
        assertThat(check(Map.of(WebhookAuth.GITHUB, signature), BODY)).contains("signature does not match the body");
        assertThat(check(Map.of(WebhookAuth.GENERIC, signature), BODY)).isPresent();
    }

    @Test
    void theGenericHeaderWorksLikeGithubs() {
        assertThat(check(Map.of(WebhookAuth.GENERIC, "sha256=" + auth.hmac(BODY)), BODY)).isEmpty();
    }

    @Test
    void gitlabTokensMustMatchTheSecret() {
        assertThat(check(Map.of(WebhookAuth.GITLAB, "It's a Secret to Everybody"), BODY)).isEmpty();
        assertThat(check(Map.of(WebhookAuth.GITLAB, "guess"), BODY)).contains("token does not match");
    }

    @Test
    void noProofIsRefusedWhenASecretIsSet() {
        assertThat(check(Map.of(), BODY)).get().asString().contains("no X-Hub-Signature-256");
    }

    @Test
    void withoutASecretEveryNudgeIsAccepted() {
        var open = new WebhookAuth(Optional.empty());
        assertThat(open.reject(name -> Optional.empty(), BODY)).isEmpty();
    }
}
