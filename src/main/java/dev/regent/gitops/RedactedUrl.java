package dev.regent.gitops;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A git URL that may carry credentials: {@link #shown()} is the only form ever logged, stored or
 * served; {@link #real()} is for fetching only. Passwords and query values are masked
 * ({@code https://user:***@host/r.git}, {@code ?access_token=***}); an http(s) user without a
 * password is masked too, since tokens are commonly given as the user name; an ssh user alone
 * ({@code git@host:r.git}) is no secret and stays. Local paths are shown as they are.
 */
public final class RedactedUrl {
    static final String MASK = "***";
    private static final Pattern SCHEME = Pattern.compile("[a-zA-Z][a-zA-Z0-9+.-]*://");
    private static final Pattern URL_IN_TEXT = Pattern.compile("[a-zA-Z][a-zA-Z0-9+.-]*://[^\\s\"'<>]+");
    private final String real;
    private final String shown;
    private final Set<String> secrets;
    private final String withoutPassword;

    private RedactedUrl(String real, String shown, Set<String> secrets) {
        this.real = real;
        // How JGit quotes a URL in its messages: user kept, password dropped.
        this.withoutPassword = real.replaceFirst("^([a-zA-Z][a-zA-Z0-9+.-]*://[^/?#:@]*):[^/?#]*@", "$1@");
        this.shown = shown;
        this.secrets = secrets;
    }

    public static RedactedUrl of(String url) {
        var secrets = new LinkedHashSet<String>();
        String shown = redact(url, secrets);
        for (String secret : List.copyOf(secrets)) {
            decoded(secret).ifPresent(secrets::add);
        }
        secrets.remove("");
        return new RedactedUrl(url, shown, secrets);
    }

    /** The URL with its credentials, for the fetch itself and nothing else. */
    public String real() {
        return real;
    }

    public String shown() {
        return shown;
    }

    /**
     * {@code text} (an error message, say) with this URL shown redacted and every secret of it masked
     * wherever it appears, also as a library may have reformatted or decoded the URL; then any other
     * URL in the text redacted as well.
     */
    public String scrub(String text) {
        String out = text.replace(real, shown);
        if (!real.equals(withoutPassword)) {
            out = out.replace(withoutPassword, shown);
        }
        for (String secret : secrets) {
            out = out.replace(secret, MASK);
        }
        return scrubAny(out);
    }

    /** {@code text} with every URL in it redacted (for text whose URLs are not known, such as an older status file). */
    public static String scrubAny(String text) {
        Matcher m = URL_IN_TEXT.matcher(text);
        var out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(redact(m.group(), new LinkedHashSet<>())));
        }
        m.appendTail(out);
        return out.toString();
    }

    @Override
    public String toString() {
        return shown;
    }

    /** The shown form of {@code url}; collects what it masked into {@code secrets}. */
    private static String redact(String url, Set<String> secrets) {
        Matcher scheme = SCHEME.matcher(url);
        boolean hasScheme = scheme.lookingAt();
        int start = hasScheme ? scheme.end() : 0;
        int end = authorityEnd(url, start, hasScheme);
        int at = url.lastIndexOf('@', end - 1);
        // scp-like ssh (user@host:path) needs a ':' after the '@'; anything else without a scheme is a local path.
        boolean userinfo = at >= start && (hasScheme || url.indexOf(':', at) > at);
        if (!hasScheme && !userinfo) {
            return url;
        }
        var shown = new StringBuilder(url.substring(0, start));
        if (userinfo) {
            String info = url.substring(start, at);
            int colon = info.indexOf(':');
            boolean http = hasScheme && url.substring(0, start).toLowerCase(Locale.ROOT).matches("(https?|ftps?)://");
            if (colon >= 0) {
                secrets.add(info.substring(colon + 1));
                shown.append(info, 0, colon).append(':').append(MASK);
            } else if (http) {
                secrets.add(info);
                shown.append(MASK);
            } else {
                shown.append(info);
            }
            shown.append('@');
        }
        shown.append(url, userinfo ? at + 1 : start, end);
        shown.append(hasScheme ? maskQuery(url.substring(end), secrets) : url.substring(end));
        return shown.toString();
    }

    private static int authorityEnd(String url, int start, boolean hasScheme) {
        for (int i = start; i < url.length(); i++) {
            char c = url.charAt(i);
            if (c == '/' || (hasScheme && (c == '?' || c == '#'))) {
                return i;
            }
        }
        return url.length();
    }

    /** The path, query and fragment with every query parameter's value masked. */
    private static String maskQuery(String rest, Set<String> secrets) {
        int question = rest.indexOf('?');
        if (question < 0) {
            return rest;
        }
        int hash = rest.indexOf('#', question);
        String query = rest.substring(question + 1, hash < 0 ? rest.length() : hash);
        var params = new ArrayList<String>();
        for (String param : query.split("&", -1)) {
            int equals = param.indexOf('=');
            if (equals >= 0 && equals < param.length() - 1) {
                secrets.add(param.substring(equals + 1));
                params.add(param.substring(0, equals + 1) + MASK);
            } else {
                params.add(param);
            }
        }
        return rest.substring(0, question + 1) + String.join("&", params) + (hash < 0 ? "" : rest.substring(hash));
    }

    private static Optional<String> decoded(String secret) {
        try {
            return Optional.of(URLDecoder.decode(secret, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
