package dev.regent.spec;

import dev.regent.fleet.FleetHost;
import dev.regent.fleet.FleetSpec;
import dev.regent.fleet.RolloutPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.Node;

/** Reads spec.fleet into a {@link FleetSpec}, each problem at its line through the shared {@link NodeReader}. */
final class FleetReader {
    static final Duration MIN_SLOT_TTL = Duration.ofSeconds(2);
    static final Duration MAX_SLOT_TTL = Duration.ofSeconds(60);
    private static final Set<String> FLEET_KEYS = NodeReader.keys("hosts", "rollout", "database");
    private static final Set<String> HOST_KEYS = NodeReader.keys("name", "paused", "drained");
    private static final Set<String> ROLLOUT_KEYS = NodeReader.keys("maxParallel", "order", "onFailure", "slotTtl");
    private static final Pattern HOST_NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final String FIELD = "spec.fleet";

    private final NodeReader in;
    /** Every name the hosts list writes, rejected ones included: order must not report those a second time. */
    private final Set<String> written = new LinkedHashSet<>();
    /** How many entries the hosts list has, rejected ones included: the bound of maxParallel. */
    private int listed;

    FleetReader(NodeReader in) {
        this.in = in;
    }

    static Optional<String> hostNameProblem(String name) {
        return HOST_NAME.matcher(name).matches() ? Optional.empty() : Optional.of("host name \"" + name
                + "\" must be a DNS label: 1 to 63 characters of a-z, 0-9 and -, starting and ending with a letter or digit");
    }

    /**
     * spec.fleet as the file's kind wants it: required for kind: Fleet, refused for kind: Host, read
     * for a kind already rejected (so its own problems show too). Empty when absent, refused, not a
     * mapping or without an acceptable host; every problem is reported.
     */
    Optional<FleetSpec> read(Optional<String> kind, NodeReader.Entry spec, Optional<NodeReader.Entry> fleet) {
        if (kind.filter(SpecRules.FLEET_KIND::equals).isPresent() && fleet.isEmpty()) {
            in.error(spec.keyNode(), "spec", "missing required field \"fleet\": a kind: Fleet file lists its hosts"
                    + " in spec.fleet.hosts");
        }
        if (kind.filter(SpecRules.KIND::equals).isPresent() && fleet.isPresent()) {
            in.error(fleet.get().keyNode(), FIELD, "spec.fleet is for fleet files only; this file is kind: "
                    + SpecRules.KIND + " (use kind: " + SpecRules.FLEET_KIND + " for many hosts)");
            return Optional.empty();
        }
        return fleet.flatMap(this::read);
    }

    private Optional<FleetSpec> read(NodeReader.Entry entry) {
        Optional<Map<String, NodeReader.Entry>> found = in.mapping(entry.value(), FIELD, Optional.of(FLEET_KEYS));
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Map<String, NodeReader.Entry> f = found.get();
        in.require(f, entry.keyNode(), FIELD, "hosts");
        List<FleetHost> hosts = Optional.ofNullable(f.get("hosts")).map(this::hosts).orElseGet(List::of);
        RolloutPolicy rollout = Optional.ofNullable(f.get("rollout")).map(e -> rollout(e, hosts))
                .orElse(RolloutPolicy.DEFAULT);
        FleetSpec.Database database = text(f, FIELD, "database").flatMap(t -> {
            Optional<FleetSpec.Database> known = Arrays.stream(FleetSpec.Database.values())
                    .filter(d -> d.word().equals(t.value())).findFirst();
            if (known.isEmpty()) {
                in.error(t.node(), FIELD + ".database", "database \"" + t.value() + "\" is not shared (the hosts share"
                        + " one database: migrations run once per fleet) or perHost (each host migrates its own)");
            }
            return known;
        }).orElse(FleetSpec.Database.SHARED);
        return hosts.isEmpty() ? Optional.empty() : Optional.of(new FleetSpec(hosts, rollout, database));
    }

    private List<FleetHost> hosts(NodeReader.Entry entry) {
        String field = FIELD + ".hosts";
        List<Node> items = in.sequence(entry.value(), field).orElse(null);
        if (items == null) {
            return List.of();
        }
        if (items.isEmpty()) {
            in.error(entry.value(), field, "list at least one host, e.g. [{name: web1}]");
        }
        listed = items.size();
        Map<String, Node> seen = new LinkedHashMap<>();
        List<FleetHost> hosts = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            String itemField = field + "[" + i + "]";
            Node item = items.get(i);
            in.recordLine(itemField, item);
            host(item, itemField, seen).ifPresent(hosts::add);
        }
        return hosts;
    }

    private Optional<FleetHost> host(Node item, String field, Map<String, Node> seen) {
        Optional<Map<String, NodeReader.Entry>> found = in.mapping(item, field, Optional.of(HOST_KEYS));
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Map<String, NodeReader.Entry> f = found.get();
        in.require(f, item, field, "name");
        Optional<String> name = Optional.ofNullable(f.get("name")).flatMap(e -> in.string(e.value(), field + ".name"));
        name.ifPresent(written::add);
        Optional<Boolean> paused = flag(f, field, "paused");
        Optional<Boolean> drained = flag(f, field, "drained");
        if (name.isEmpty() || paused.isEmpty() || drained.isEmpty()) {
            return Optional.empty();
        }
        Node nameNode = f.get("name").value();
        Optional<String> problem = hostNameProblem(name.get());
        if (problem.isPresent()) {
            in.error(nameNode, field + ".name", problem.get());
            return Optional.empty();
        }
        if (seen.containsKey(name.get())) {
            in.error(nameNode, field + ".name", "host " + name.get() + " is listed twice (first at line "
                    + (seen.get(name.get()).getStartMark().getLine() + 1) + ")");
            return Optional.empty();
        }
        seen.put(name.get(), nameNode);
        return Optional.of(new FleetHost(name.get(), paused.get(), drained.get()));
    }

    /** false when absent; empty when present but not a boolean (reported). */
    private Optional<Boolean> flag(Map<String, NodeReader.Entry> fields, String parent, String key) {
        NodeReader.Entry entry = fields.get(key);
        return entry == null ? Optional.of(false) : in.bool(entry.value(), parent + "." + key);
    }

    private RolloutPolicy rollout(NodeReader.Entry entry, List<FleetHost> hosts) {
        String field = FIELD + ".rollout";
        RolloutPolicy defaults = RolloutPolicy.DEFAULT;
        if (NodeReader.isNull(entry.value())) {
            return defaults;
        }
        Optional<Map<String, NodeReader.Entry>> found = in.mapping(entry.value(), field, Optional.of(ROLLOUT_KEYS));
        if (found.isEmpty()) {
            return defaults;
        }
        Map<String, NodeReader.Entry> f = found.get();
        int most = Math.max(1, listed);
        Optional<Integer> maxParallel = text(f, field, "maxParallel").flatMap(t -> {
            Optional<Integer> count = PromotionRules.count(t.value(), 1, most);
            if (count.isEmpty()) {
                in.error(t.node(), field + ".maxParallel", "maxParallel \"" + t.value() + "\" must be a whole number from 1"
                        + " to " + most + " (the number of hosts)");
            }
            return count;
        });
        List<String> order = Optional.ofNullable(f.get("order")).map(e -> order(e, field + ".order", hosts))
                .orElseGet(List::of);
        text(f, field, "onFailure").filter(t -> !t.value().equals("halt")).ifPresent(t -> in.error(t.node(),
                field + ".onFailure", "onFailure \"" + t.value() + "\" is not supported; the only value is halt"
                        + " (a host whose move fails stops the rollout)"));
        Optional<Duration> slotTtl = text(f, field, "slotTtl").flatMap(t -> {
            Optional<String> problem = PromotionRules.durationProblem("slotTtl", t.value(), MIN_SLOT_TTL, MAX_SLOT_TTL);
            problem.ifPresent(p -> in.error(t.node(), field + ".slotTtl", p));
            return problem.isPresent() ? Optional.empty() : PromotionRules.duration(t.value());
        });
        return new RolloutPolicy(maxParallel.orElse(defaults.maxParallel()), order, RolloutPolicy.OnFailure.HALT,
                slotTtl.orElse(defaults.slotTtl()));
    }

    private List<String> order(NodeReader.Entry entry, String field, List<FleetHost> hosts) {
        if (NodeReader.isNull(entry.value())) {
            return List.of();
        }
        List<Node> items = in.sequence(entry.value(), field).orElseGet(List::of);
        List<String> known = hosts.stream().map(FleetHost::name).toList();
        Map<String, Integer> seen = new LinkedHashMap<>();
        List<String> order = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            String itemField = field + "[" + i + "]";
            Node item = items.get(i);
            Optional<String> name = in.string(item, itemField);
            if (name.isEmpty()) {
                continue;
            }
            if (seen.containsKey(name.get())) {
                in.error(item, itemField, name.get() + " is listed twice in order (first as order["
                        + seen.get(name.get()) + "]); each host moves once");
            } else if (known.contains(name.get())) {
                order.add(name.get());
            } else if (!written.contains(name.get())) {
                in.error(item, itemField, name.get() + " is not a host of this fleet (hosts: "
                        + String.join(", ", known) + ")");
            }
            seen.putIfAbsent(name.get(), i);
        }
        return order;
    }

    private record Text(String value, Node node) {
    }

    private Optional<Text> text(Map<String, NodeReader.Entry> fields, String parent, String key) {
        NodeReader.Entry entry = fields.get(key);
        if (entry == null) {
            return Optional.empty();
        }
        return in.string(entry.value(), parent + "." + key).map(v -> new Text(v, entry.value()));
    }
}
