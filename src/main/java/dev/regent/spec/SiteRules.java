package dev.regent.spec;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The value rules of spec.site; each returns why a value is rejected, or empty if it is fine. Every
 * accepted value is written into nginx's config as it is, so the rules also keep out anything
 * nginx would read as syntax (spaces, quotes, ;, braces, $).
 */
public final class SiteRules {
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern PATH_CHARS = Pattern.compile("[A-Za-z0-9._+@=,-]+(/[A-Za-z0-9._+@=,-]+)*");
    private static final Pattern MAX_AGE = Pattern.compile("(\\d{1,10})([smhdwy]?)");
    private static final Pattern BODY_SIZE = Pattern.compile("\\d{1,9}[kKmMgG]?");
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");
    /** Ten years: far beyond any max-age in use, and small enough that nothing overflows. */
    static final long MAX_AGE_LIMIT = 10L * 365 * 24 * 3600;

    private SiteRules() {
    }

    /** A DNS host name in lowercase, or a wildcard {@code *.example.com}. */
    public static Optional<String> hostNameProblem(String name) {
        String expected = "\"" + name + "\" is not a host name: use lowercase labels of a-z, 0-9 and - (not at a label's"
                + " start or end), separated by dots, optionally starting with *. (a wildcard), e.g. www.example.com";
        String bare = name.startsWith("*.") ? name.substring(2) : name;
        if (bare.isEmpty() || name.length() > 253 || bare.endsWith(".")) {
            return Optional.of(expected);
        }
        if (!bare.equals(bare.toLowerCase(Locale.ROOT)) && bare.toLowerCase(Locale.ROOT).matches("[a-z0-9.-]+")) {
            return Optional.of("\"" + name + "\" must be written in lowercase (host names match whatever the case)");
        }
        for (String label : bare.split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) {
                return Optional.of(expected);
            }
        }
        return Optional.empty();
    }

    /** A file inside the project: relative, normalized, never escaping it; only characters nginx takes unquoted. */
    public static Optional<String> projectFileProblem(String key, String path) {
        if (path.isEmpty()) {
            return Optional.of(key + " must not be empty");
        }
        if (path.startsWith("/") || path.contains("\\") || path.matches("[A-Za-z]:.*")) {
            return Optional.of(key + " \"" + path + "\" must be relative to the project root (it is read as /code/"
                    + "<path> in the containers), not absolute");
        }
        for (String segment : path.split("/", -1)) {
            if (segment.equals("..")) {
                return Optional.of(key + " \"" + path + "\" must not contain .. (it must stay inside the project)");
            }
            if (segment.isEmpty() || segment.equals(".")) {
                return Optional.of(key + " \"" + path + "\" is not normalized (no empty or . segments, no trailing /)");
            }
        }
        if (!PATH_CHARS.matcher(path).matches()) {
            return Optional.of(key + " \"" + path + "\" may only contain letters, digits, / and . _ + @ = , -");
        }
        return Optional.empty();
    }

    /** Seconds: a bare number, or a number with one unit of s, m (minutes), h, d, w or y (365 d). */
    public static Optional<Long> maxAgeSeconds(String text) {
        Matcher m = MAX_AGE.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        long unit = switch (m.group(2)) {
            case "m" -> 60;
            case "h" -> 3600;
            case "d" -> 86_400;
            case "w" -> 7 * 86_400;
            case "y" -> 365 * 86_400;
            default -> 1;
        };
        BigInteger seconds = BigInteger.valueOf(Long.parseLong(m.group(1))).multiply(BigInteger.valueOf(unit));
        return seconds.compareTo(BigInteger.valueOf(MAX_AGE_LIMIT)) > 0 ? Optional.empty() : Optional.of(seconds.longValue());
    }

    public static Optional<String> maxAgeProblem(String text) {
        return maxAgeSeconds(text).isPresent() ? Optional.empty() : Optional.of("maxAge \"" + text
                + "\" must be seconds (31536000) or a number with one unit of s, m (minutes), h, d, w or y, e.g. 365d"
                + " or 26w, at most 10 years");
    }

    /** nginx's size syntax: bytes, or k, m, g; 0 turns the check off. */
    public static Optional<String> bodySizeProblem(String text) {
        return BODY_SIZE.matcher(text).matches() ? Optional.empty() : Optional.of("clientMaxBodySize \"" + text
                + "\" must be a size as nginx writes it: a number of bytes, or with k, m or g, e.g. 512k, 10m, 1g"
                + " (0: no limit)");
    }

    private static boolean validIpv4(String address) {
        for (String octet : address.split("\\.")) {
            if (Integer.parseInt(octet) > 255 || octet.length() > 1 && octet.startsWith("0")) {
                return false;
            }
        }
        return true;
    }

    /** Java parses a text with a colon as an IPv6 literal only, so this never looks a name up. */
    private static boolean validIpv6(String address) {
        try {
            return InetAddress.getByName(address) != null;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** An IPv4 or IPv6 address, or a CIDR block of either. Never resolves a name. */
    public static Optional<String> proxyProblem(String text) {
        String expected = "\"" + text + "\" must be an IP address or a CIDR block, e.g. 10.0.0.0/8, 192.0.2.7 or 2001:db8::/32";
        String[] parts = text.split("/", -1);
        if (parts.length > 2) {
            return Optional.of(expected);
        }
        String address = parts[0];
        boolean v4 = IPV4.matcher(address).matches();
        boolean v6 = !v4 && IPV6.matcher(address).matches();
        if (!v4 && !v6) {
            return Optional.of(expected);
        }
        if (v4 && !validIpv4(address) || v6 && !validIpv6(address)) {
            return Optional.of(expected);
        }
        if (parts.length == 2) {
            int max = v4 ? 32 : 128;
            if (!parts[1].matches("\\d{1,3}") || Integer.parseInt(parts[1]) > max) {
                return Optional.of("\"" + text + "\": the prefix length after / must be 0 to " + max);
            }
        }
        return Optional.empty();
    }
}
