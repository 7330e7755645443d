package dev.regent.spec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.yaml.snakeyaml.nodes.Node;

/** Reads spec.site into a {@link SiteSpec}, reporting each problem at its line through the shared {@link NodeReader}. */
final class SiteReader {
    private static final Set<String> SITE_KEYS = NodeReader.keys("live", "stage", "tls", "clientMaxBodySize", "trustedProxies");
    private static final Set<String> TLS_KEYS = NodeReader.keys("certificate", "key", "hsts");
    private static final Set<String> HSTS_KEYS = NodeReader.keys("maxAge", "includeSubDomains");
    private static final String FIELD = "spec.site";

    private final NodeReader in;
    /** Every name seen so far, with the node it was first written at: a name serves one role only. */
    private final Map<String, Node> names = new LinkedHashMap<>();
    /** How many names the file lists, rejected ones included (those are reported on their own). */
    private int written;

    SiteReader(NodeReader in) {
        this.in = in;
    }

    SiteSpec read(NodeReader.Entry entry) {
        if (NodeReader.isNull(entry.value())) {
            return SiteSpec.NONE;
        }
        Optional<Map<String, NodeReader.Entry>> found = in.mapping(entry.value(), FIELD, Optional.of(SITE_KEYS));
        if (found.isEmpty()) {
            return SiteSpec.NONE;
        }
        Map<String, NodeReader.Entry> f = found.get();
        List<String> live = names(f, "live");
        List<String> stage = names(f, "stage");
        Optional<SiteSpec.TlsSpec> tls = Optional.ofNullable(f.get("tls")).flatMap(this::tls);
        if (f.containsKey("tls") && written == 0) {
            in.error(f.get("tls").keyNode(), FIELD + ".tls", "tls needs host names to serve: list them in spec.site.live"
                    + " and/or spec.site.stage");
        }
        Optional<String> bodySize = in.checked(f, FIELD, "clientMaxBodySize", SiteRules::bodySizeProblem);
        List<String> proxies = new ArrayList<>();
        Optional.ofNullable(f.get("trustedProxies")).ifPresent(e -> strings(e, FIELD + ".trustedProxies",
                SiteRules::proxyProblem).forEach(proxies::add));
        return new SiteSpec(live, stage, tls, bodySize, proxies);
    }

    private List<String> names(Map<String, NodeReader.Entry> fields, String role) {
        NodeReader.Entry entry = fields.get(role);
        if (entry == null || NodeReader.isNull(entry.value())) {
            return List.of();
        }
        String field = FIELD + "." + role;
        List<Node> items = in.sequence(entry.value(), field).orElseGet(List::of);
        written += items.size();
        List<String> found = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            String itemField = field + "[" + i + "]";
            Node item = items.get(i);
            Optional<String> name = in.string(item, itemField);
            if (name.isEmpty()) {
                continue;
            }
            Optional<String> problem = SiteRules.hostNameProblem(name.get());
            if (problem.isPresent()) {
                in.error(item, itemField, problem.get());
            } else if (names.containsKey(name.get())) {
                in.error(item, itemField, "host name \"" + name.get() + "\" is listed twice (first at line "
                        + (names.get(name.get()).getStartMark().getLine() + 1) + "); a name serves one role only");
            } else {
                names.put(name.get(), item);
                found.add(name.get());
            }
        }
        return found;
    }

    private Optional<SiteSpec.TlsSpec> tls(NodeReader.Entry entry) {
        String field = FIELD + ".tls";
        Optional<Map<String, NodeReader.Entry>> found = in.mapping(entry.value(), field, Optional.of(TLS_KEYS));
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Map<String, NodeReader.Entry> f = found.get();
        in.require(f, entry.keyNode(), field, "certificate", "key");
        Optional<String> certificate = in.checked(f, field, "certificate", p -> SiteRules.projectFileProblem("certificate", p));
        Optional<String> key = in.checked(f, field, "key", p -> SiteRules.projectFileProblem("key", p));
        boolean hstsGiven = f.containsKey("hsts");
        Optional<SiteSpec.Hsts> hsts = Optional.ofNullable(f.get("hsts")).flatMap(this::hsts);
        if (certificate.isEmpty() || key.isEmpty() || hstsGiven && hsts.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new SiteSpec.TlsSpec(certificate.get(), key.get(), hsts));
    }

    private Optional<SiteSpec.Hsts> hsts(NodeReader.Entry entry) {
        String field = FIELD + ".tls.hsts";
        Optional<Map<String, NodeReader.Entry>> found = in.mapping(entry.value(), field, Optional.of(HSTS_KEYS));
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Map<String, NodeReader.Entry> f = found.get();
        in.require(f, entry.keyNode(), field, "maxAge");
        Optional<Long> maxAge = in.checked(f, field, "maxAge", SiteRules::maxAgeProblem).flatMap(SiteRules::maxAgeSeconds);
        Optional<Boolean> subDomains = Optional.ofNullable(f.get("includeSubDomains"))
                .flatMap(e -> in.bool(e.value(), field + ".includeSubDomains"));
        if (maxAge.isEmpty() || f.containsKey("includeSubDomains") && subDomains.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new SiteSpec.Hsts(maxAge.get(), subDomains.orElse(false)));
    }

    /** The accepted items of a list of strings; each rejected one is reported at its line. */
    private List<String> strings(NodeReader.Entry entry, String field, Function<String, Optional<String>> rule) {
        if (NodeReader.isNull(entry.value())) {
            return List.of();
        }
        List<Node> items = in.sequence(entry.value(), field).orElseGet(List::of);
        List<String> accepted = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            String itemField = field + "[" + i + "]";
            Node item = items.get(i);
            in.string(item, itemField).ifPresent(v -> rule.apply(v).ifPresentOrElse(p -> in.error(item, itemField, p),
                    () -> accepted.add(v)));
        }
        return accepted;
    }
}
