package dev.regent.spec;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/**
 * spec.dependencies: where missing wheels come from. With an {@code index} (a PEP 503 simple index,
 * as pip's --index-url takes it), a build whose pinned wheels are not all in the wheelhouse first
 * fetches them with pip wheel; without, builds are offline and such a build fails naming them.
 * The URL may carry credentials: it is never shown as it is ({@link #toString()} hides it).
 */
public record DependencySpec(Optional<String> index) {
    public static final DependencySpec NONE = new DependencySpec(Optional.empty());

    static Optional<String> indexProblem(String text) {
        String expected = "index \"%s\" must be an http(s) URL of a PEP 503 simple index, e.g. https://pypi.org/simple/";
        if (text.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
            return Optional.of("index must not contain spaces or control characters");
        }
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null || uri.getFragment() != null) {
                return Optional.of(expected.formatted(withoutUserInfo(text)));
            }
            return Optional.empty();
        } catch (URISyntaxException e) {
            return Optional.of(expected.formatted(withoutUserInfo(text)));
        }
    }

    /** The error message must not repeat a password the user put in the URL. */
    private static String withoutUserInfo(String text) {
        return text.replaceFirst("^([^:/?#]+://)[^/?#]*@", "$1***@");
    }

    @Override
    public String toString() {
        return "DependencySpec[index=" + (index.isPresent() ? "(set)" : "none") + "]";
    }
}
