package dev.regent.spec;

import java.util.Optional;

/**
 * One receiver under spec.notifications. {@code kind}: webhook (JSON, HMAC-SHA256 signature header),
 * slack (incoming-webhook body) or github (deployment status body). The URL or token a receiver
 * needs is a secret, so the file names a file under deploy/secrets holding it ({@code urlFile},
 * {@code secretFile}), never the value.
 */
public record NotificationSpec(String name, Kind kind, String urlFile, Optional<String> secretFile) {
    public enum Kind { WEBHOOK, SLACK, GITHUB }
}
