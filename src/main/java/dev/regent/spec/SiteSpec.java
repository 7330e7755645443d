package dev.regent.spec;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * spec.site: the host names each role answers to and how. Empty names keep the port-per-role
 * layout (live on 8080, stage on 8081, plain HTTP). {@code trustedProxies} are the addresses
 * (CIDRs) of load balancers in front whose X-Forwarded-For is believed.
 */
public record SiteSpec(List<String> live, List<String> stage, Optional<TlsSpec> tls,
                       Optional<String> clientMaxBodySize, List<String> trustedProxies) {
    public static final SiteSpec NONE = new SiteSpec(List.of(), List.of(), Optional.empty(), Optional.empty(), List.of());

    public SiteSpec {
        live = List.copyOf(live);
        stage = List.copyOf(stage);
        trustedProxies = List.copyOf(trustedProxies);
    }

    public boolean named() {
        return !live.isEmpty() || !stage.isEmpty();
    }

    /** Every name, live first, in file order. */
    public List<String> names() {
        var all = new ArrayList<>(live);
        all.addAll(stage);
        return List.copyOf(all);
    }

    /**
     * spec.site.tls: paths relative to the project root of the PEM certificate chain (leaf first)
     * and its private key. {@code hsts} is opt-in.
     */
    public record TlsSpec(String certificate, String key, Optional<Hsts> hsts) {
    }

    /** Strict-Transport-Security: max-age in seconds, and whether subdomains are included. */
    public record Hsts(long maxAgeSeconds, boolean includeSubDomains) {
    }
}
