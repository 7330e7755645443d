package dev.regent.notify;

import dev.regent.events.PromotionEvent;
import dev.regent.gitops.WebhookAuth;
import dev.regent.spec.NotificationSpec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** The HTTP request that tells one receiver of one event; its URL and secret are read from their files each time. */
final class Requests {
    static final String SIGNATURE = WebhookAuth.GENERIC;
    /** The same for every attempt of one notice, so a receiver can drop a retry of what it already took. */
    static final String DELIVERY = "X-Regent-Delivery";

    private Requests() {
    }

    /** The receiver's files cannot be read or hold no usable URL: retried like a failed delivery. */
    static final class Unsendable extends Exception {
        Unsendable(String message) {
            super(message);
        }
    }

    static HttpRequest of(NotificationSpec receiver, Path root, String host, PromotionEvent event, Duration timeout)
            throws Unsendable {
        URI url = url(secret(root, receiver.urlFile()));
        Optional<String> secret = receiver.secretFile().isPresent()
                ? Optional.of(secret(root, receiver.secretFile().get())) : Optional.empty();
        var request = HttpRequest.newBuilder(url).timeout(timeout).header("Content-Type", "application/json")
                .header("User-Agent", "regent").header(DELIVERY, Notices.id(event));
        byte[] body = switch (receiver.kind()) {
            case WEBHOOK -> {
                byte[] json = Notices.webhook(host, event);
                request.header(SIGNATURE, "sha256=" + new WebhookAuth(secret).hmac(json));
                yield json;
            }
            case SLACK -> Notices.slack(host, event);
            case GITHUB -> {
                secret.ifPresent(token -> request.header("Authorization", "Bearer " + token));
                request.header("Accept", "application/vnd.github+json").header("X-GitHub-Api-Version", "2022-11-28");
                yield Notices.github(host, event);
            }
        };
        return request.POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    }

    private static String secret(Path root, String file) throws Unsendable {
        try {
            String value = Files.readString(root.resolve(file)).strip();
            if (value.isEmpty()) {
                throw new Unsendable(file + " is empty");
            }
            return value;
        } catch (IOException e) {
            throw new Unsendable("cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** Never names the URL in an error: it is a secret (Slack's holds its token). */
    private static URI url(String text) throws Unsendable {
        try {
            URI uri = URI.create(text);
            if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
                    || uri.getHost() == null) {
                throw new Unsendable("the URL file does not hold an http(s) URL");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new Unsendable("the URL file does not hold a valid URL");
        }
    }
}
