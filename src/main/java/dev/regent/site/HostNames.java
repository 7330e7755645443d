package dev.regent.site;

import java.net.IDN;
import java.util.List;
import java.util.Locale;

/** Whether a certificate's DNS names cover a host name, as browsers match them (RFC 6125 section 6.4). */
public final class HostNames {

    private HostNames() {
    }

    /** The names of {@code wanted} that no entry of {@code dnsNames} covers, in their order. */
    public static List<String> uncovered(List<String> dnsNames, List<String> wanted) {
        return wanted.stream().filter(name -> dnsNames.stream().noneMatch(san -> covers(san, name))).toList();
    }

    /**
     * A wildcard counts only as the whole left-most label and stands for exactly one label:
     * {@code *.example.com} covers {@code www.example.com}, not {@code example.com} nor
     * {@code a.b.example.com}. Case and a trailing dot do not matter; names are compared as A-labels.
     */
    public static boolean covers(String dnsName, String hostName) {
        String san = normal(dnsName);
        String host = normal(hostName);
        if (san.isEmpty() || host.isEmpty()) {
            return false;
        }
        if (!san.startsWith("*.")) {
            return san.equals(host);
        }
        String rest = san.substring(2);
        int dot = host.indexOf('.');
        return !rest.isEmpty() && !rest.contains("*") && dot > 0 && host.substring(dot + 1).equals(rest);
    }

    private static String normal(String name) {
        String n = name.strip();
        if (n.endsWith(".")) {
            n = n.substring(0, n.length() - 1);
        }
        try {
            n = IDN.toASCII(n, IDN.ALLOW_UNASSIGNED);
        } catch (IllegalArgumentException notAName) {
            // Compared as written: it then matches only itself.
        }
        return n.toLowerCase(Locale.ROOT);
    }
}
