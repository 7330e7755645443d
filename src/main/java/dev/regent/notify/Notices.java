package dev.regent.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.regent.events.PromotionEvent;
import dev.regent.fs.HostFiles;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** The bodies a promotion event is sent as, one per receiver kind. Pure. */
public final class Notices {
    private static final ObjectMapper COMPACT = HostFiles.JSON.copy().disable(SerializationFeature.INDENT_OUTPUT);
    /** GitHub refuses a deployment status description over 140 characters. */
    static final int GITHUB_DESCRIPTION = 140;

    private Notices() {
    }

    /** "succeeded", "rolled back", "approval waiting": the event's name in notices. */
    public static String name(PromotionEvent.Kind kind) {
        return kind.name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }

    /** One line a person reads: "demo: promotion a -> b succeeded (revision 0a1b2c3d4e5f, git, 0.8 s)". */
    public static String summary(String host, PromotionEvent e) {
        String move = e.from().orElse("(none)") + " -> " + e.to().orElse("(none)");
        String what = switch (e.kind()) {
            case STARTED -> "promotion " + move + " started";
            case SUCCEEDED -> "promotion " + move + " succeeded";
            case FAILED -> "promotion " + move + " failed";
            case ROLLED_BACK -> "rolled back " + move;
            case BUILD_FAILED -> "build " + e.to().orElse("?") + " failed";
            case APPROVAL_WAITING -> "promotion " + move + " waits for approval (regent approve " + e.to().orElse("BUILD") + ")";
        };
        String revision = e.revision().length() > 17 ? e.revision().substring(0, e.revision().startsWith("file:") ? 17 : 12)
                : e.revision();
        String facts = "revision " + revision + e.signer().map(s -> " signed by " + s).orElse("") + ", " + e.trigger()
                + e.took().map(t -> String.format(Locale.ROOT, ", %.1f s", t.toMillis() / 1000.0)).orElse("");
        return host + ": " + what + " (" + facts + ")" + (e.reason().isBlank() ? "" : ": " + e.reason());
    }

    /** The notice's id: the same for every attempt and every receiver of one (event, revision). */
    public static String id(PromotionEvent e) {
        try {
            byte[] hash = java.security.MessageDigest.getInstance("SHA-256").digest(e.dedupeKey().getBytes(StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(hash, 0, 16);
        } catch (java.security.NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /** webhook: the event as JSON; the signature header is computed over exactly these bytes. */
    public static byte[] webhook(String host, PromotionEvent e) {
        var body = new LinkedHashMap<String, Object>();
        body.put("id", id(e));
        body.put("event", name(e.kind()));
        body.put("host", host);
        body.put("at", e.at().toString());
        body.put("revision", e.revision());
        body.put("signer", e.signer().orElse(null));
        body.put("from", e.from().orElse(null));
        body.put("to", e.to().orElse(null));
        body.put("trigger", e.trigger());
        body.put("durationMillis", e.took().map(java.time.Duration::toMillis).orElse(null));
        body.put("reason", e.reason());
        body.put("summary", summary(host, e));
        return json(body);
    }

    /** slack: an incoming-webhook body. */
    public static byte[] slack(String host, PromotionEvent e) {
        return json(Map.of("text", summary(host, e)));
    }

    /** github: a deployment status (POST repos/{owner}/{repo}/deployments/{id}/statuses), environment = the host. */
    public static byte[] github(String host, PromotionEvent e) {
        var body = new LinkedHashMap<String, Object>();
        body.put("state", githubState(e.kind()));
        String description = summary(host, e);
        body.put("description", description.length() <= GITHUB_DESCRIPTION ? description
                : description.substring(0, GITHUB_DESCRIPTION - 1) + "…");
        body.put("environment", host);
        return json(body);
    }

    static String githubState(PromotionEvent.Kind kind) {
        return switch (kind) {
            case STARTED -> "in_progress";
            case SUCCEEDED -> "success";
            case FAILED, ROLLED_BACK -> "failure";
            case BUILD_FAILED -> "error";
            case APPROVAL_WAITING -> "pending";
        };
    }

    private static byte[] json(Object body) {
        try {
            return COMPACT.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
