package dev.regent.spec;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;

/** Reads spec.promotion into a {@link PromotionSpec}, each problem at its line through the shared {@link NodeReader}. */
final class PromotionReader {
    private static final Set<String> PROMOTION_KEYS = NodeReader.keys("analysis", "smoke", "requireApproval", "canary");
    private static final Set<String> ANALYSIS_KEYS = NodeReader.keys("enabled", "window", "interval", "maxErrorRate", "maxP99",
            "minRequests", "failureLimit");
    private static final Set<String> SMOKE_KEYS = NodeReader.keys("paths", "requests");
    private static final Set<String> CANARY_KEYS = NodeReader.keys("workers");
    private static final String FIELD = "spec.promotion";
    private static final int DEFAULT_SMOKE_REQUESTS = 3;

    private final NodeReader in;

    PromotionReader(NodeReader in) {
        this.in = in;
    }

    PromotionSpec read(NodeReader.Entry entry) {
        if (NodeReader.isNull(entry.value())) {
            return PromotionSpec.DEFAULT;
        }
        Optional<Map<String, NodeReader.Entry>> found = in.mapping(entry.value(), FIELD, Optional.of(PROMOTION_KEYS));
        if (found.isEmpty()) {
            return PromotionSpec.DEFAULT;
        }
        Map<String, NodeReader.Entry> f = found.get();
        PromotionSpec.Analysis analysis = Optional.ofNullable(f.get("analysis")).map(this::analysis)
                .orElse(PromotionSpec.Analysis.DEFAULT);
        Optional<PromotionSpec.Smoke> smoke = Optional.ofNullable(f.get("smoke")).flatMap(this::smoke);
        boolean approval = Optional.ofNullable(f.get("requireApproval"))
                .flatMap(e -> in.bool(e.value(), FIELD + ".requireApproval")).orElse(false);
        Optional<PromotionSpec.Canary> canary = Optional.ofNullable(f.get("canary")).flatMap(this::canary);
        return new PromotionSpec(analysis, smoke, approval, canary);
    }

    /** A mapping, or true / false / off (off: YAML 1.1 readers see false there, others the word; both mean off). */
    private PromotionSpec.Analysis analysis(NodeReader.Entry entry) {
        String field = FIELD + ".analysis";
        PromotionSpec.Analysis defaults = PromotionSpec.Analysis.DEFAULT;
        if (entry.value() instanceof ScalarNode scalar && scalar.isPlain()) {
            if (scalar.getValue().equals("off")) {
                return off(defaults);
            }
            return in.bool(entry.value(), field).map(on -> on ? defaults : off(defaults)).orElse(defaults);
        }
        Optional<Map<String, NodeReader.Entry>> found = in.mapping(entry.value(), field, Optional.of(ANALYSIS_KEYS));
        if (found.isEmpty()) {
            return defaults;
        }
        Map<String, NodeReader.Entry> f = found.get();
        boolean enabled = Optional.ofNullable(f.get("enabled")).flatMap(e -> in.bool(e.value(), field + ".enabled"))
                .orElse(true);
        Duration window = value(f, field, "window", t -> PromotionRules.durationProblem("window", t,
                PromotionRules.MIN_WINDOW, PromotionRules.MAX_WINDOW), PromotionRules::duration).orElse(defaults.window());
        Duration interval = value(f, field, "interval", t -> PromotionRules.durationProblem("interval", t,
                PromotionRules.MIN_INTERVAL, PromotionRules.MAX_INTERVAL), PromotionRules::duration).orElse(defaults.interval());
        double rate = value(f, field, "maxErrorRate", PromotionRules::rateProblem, PromotionRules::rate)
                .orElse(defaults.maxErrorRate());
        Duration p99 = value(f, field, "maxP99", t -> PromotionRules.durationProblem("maxP99", t,
                PromotionRules.MIN_P99, PromotionRules.MAX_P99), PromotionRules::duration).orElse(defaults.maxP99());
        int minRequests = value(f, field, "minRequests", t -> PromotionRules.countProblem("minRequests", t, 1,
                PromotionRules.MAX_MIN_REQUESTS), t -> PromotionRules.count(t, 1, PromotionRules.MAX_MIN_REQUESTS))
                .orElse(defaults.minRequests());
        int failureLimit = value(f, field, "failureLimit", t -> PromotionRules.countProblem("failureLimit", t, 1, 3600),
                t -> PromotionRules.count(t, 1, 3600)).orElse(defaults.failureLimit());
        if (interval.compareTo(window) > 0) {
            in.error(f.containsKey("interval") ? f.get("interval").value() : f.get("window").value(), field + ".interval",
                    "interval (" + interval.toMillis() / 1000.0 + " s) must not be longer than window ("
                            + window.toMillis() / 1000.0 + " s)");
        } else if (failureLimit > intervals(window, interval)) {
            in.error(f.containsKey("failureLimit") ? f.get("failureLimit").value() : entry.keyNode(), field + ".failureLimit",
                    "failureLimit " + failureLimit + " can never be reached: the window holds only "
                            + intervals(window, interval) + " intervals (window / interval)");
        }
        return new PromotionSpec.Analysis(enabled, window, interval, rate, p99, minRequests, failureLimit);
    }

    /** How many intervals a window is judged in (the last one may be shorter). */
    static long intervals(Duration window, Duration interval) {
        return (window.toMillis() + interval.toMillis() - 1) / interval.toMillis();
    }

    private static PromotionSpec.Analysis off(PromotionSpec.Analysis a) {
        return new PromotionSpec.Analysis(false, a.window(), a.interval(), a.maxErrorRate(), a.maxP99(), a.minRequests(),
                a.failureLimit());
    }

    private Optional<PromotionSpec.Smoke> smoke(NodeReader.Entry entry) {
        String field = FIELD + ".smoke";
        Optional<Map<String, NodeReader.Entry>> found = in.mapping(entry.value(), field, Optional.of(SMOKE_KEYS));
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Map<String, NodeReader.Entry> f = found.get();
        in.require(f, entry.keyNode(), field, "paths");
        List<String> paths = new ArrayList<>();
        Optional.ofNullable(f.get("paths")).flatMap(e -> in.sequence(e.value(), field + ".paths")).ifPresent(items -> {
            if (items.isEmpty() || items.size() > PromotionRules.MAX_SMOKE_PATHS) {
                in.error(f.get("paths").value(), field + ".paths", "list 1 to " + PromotionRules.MAX_SMOKE_PATHS + " paths");
            }
            for (int i = 0; i < items.size(); i++) {
                String itemField = field + ".paths[" + i + "]";
                Node item = items.get(i);
                in.string(item, itemField).ifPresent(p -> PromotionRules.pathProblem(p)
                        .ifPresentOrElse(problem -> in.error(item, itemField, problem), () -> paths.add(p)));
            }
        });
        int requests = value(f, field, "requests", t -> PromotionRules.countProblem("requests", t, 1,
                PromotionRules.MAX_SMOKE_REQUESTS), t -> PromotionRules.count(t, 1, PromotionRules.MAX_SMOKE_REQUESTS))
                .orElse(DEFAULT_SMOKE_REQUESTS);
        return paths.isEmpty() ? Optional.empty() : Optional.of(new PromotionSpec.Smoke(paths, requests));
    }

    private Optional<PromotionSpec.Canary> canary(NodeReader.Entry entry) {
        String field = FIELD + ".canary";
        Optional<Map<String, NodeReader.Entry>> found = in.mapping(entry.value(), field, Optional.of(CANARY_KEYS));
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Map<String, NodeReader.Entry> f = found.get();
        in.require(f, entry.keyNode(), field, "workers");
        return value(f, field, "workers", t -> PromotionRules.countProblem("workers", t, 1, PromotionRules.MAX_CANARY_WORKERS),
                t -> PromotionRules.count(t, 1, PromotionRules.MAX_CANARY_WORKERS)).map(PromotionSpec.Canary::new);
    }

    /** The parsed value of one field, or empty when absent or rejected (the rejection reported at its line). */
    private <T> Optional<T> value(Map<String, NodeReader.Entry> fields, String parent, String key,
                                  Function<String, Optional<String>> rule, Function<String, Optional<T>> parse) {
        NodeReader.Entry entry = fields.get(key);
        if (entry == null) {
            return Optional.empty();
        }
        String field = NodeReader.join(parent, key);
        Optional<String> text = in.string(entry.value(), field);
        Optional<String> problem = text.flatMap(rule);
        problem.ifPresent(p -> in.error(entry.value(), field, p));
        return problem.isPresent() ? Optional.empty() : text.flatMap(parse);
    }
}
