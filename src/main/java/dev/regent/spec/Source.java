package dev.regent.spec;

import java.util.Optional;

/**
 * spec.source: the git repository (a path relative to the project root, or absolute) and the
 * folder of the Django project inside it. settings/wsgi override what Regent detects.
 */
public record Source(String repo, String path, Optional<String> settings, Optional<String> wsgi, String healthPath) {
    public static final String DEFAULT_HEALTH_PATH = "/_regent/health";
}
