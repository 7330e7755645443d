package dev.regent.gitops;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks a webhook's proof of origin against the shared secret: GitHub's X-Hub-Signature-256
 * (HMAC-SHA256 of the raw body), GitLab's X-Gitlab-Token, or X-Regent-Signature (same form as
 * GitHub's, for any sender). Comparisons take constant time.
 */
public final class WebhookAuth {
    public static final String GITHUB = "X-Hub-Signature-256";
    public static final String GITLAB = "X-Gitlab-Token";
    public static final String GENERIC = "X-Regent-Signature";
    private final Optional<byte[]> secret;

    public WebhookAuth(Optional<String> secret) {
        this.secret = secret.filter(s -> !s.isEmpty()).map(s -> s.getBytes(StandardCharsets.UTF_8));
    }

    /** Empty when the request may trigger a sync; otherwise why not. {@code header} looks a header up by name. */
    public Optional<String> reject(Function<String, Optional<String>> header, byte[] body) {
        if (secret.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> signature = header.apply(GITHUB).or(() -> header.apply(GENERIC));
        if (signature.isPresent()) {
            return equal(signature.get().strip(), "sha256=" + hmac(body)) ? Optional.empty()
                    : Optional.of("signature does not match the body");
        }
        Optional<String> token = header.apply(GITLAB);
        if (token.isPresent()) {
            return equal(token.get(), new String(secret.get(), StandardCharsets.UTF_8)) ? Optional.empty()
                    : Optional.of("token does not match");
        }
        return Optional.of("no " + GITHUB + ", " + GITLAB + " or " + GENERIC + " header");
    }

    public String hmac(byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.orElseThrow(), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }

    private static boolean equal(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
