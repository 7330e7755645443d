package dev.regent.spec;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads spec.builds and the live and stage pointers into them, reporting each problem at its line
 * through the shared {@link NodeReader}. A pointer to a listed build whose entry is broken is not
 * reported again: the entry's own errors say what is wrong.
 */
final class BuildsReader {
    private static final Set<String> BUILD_KEYS = NodeReader.keys("ref", "active", "path", "settings", "wsgi",
            "healthPath", "allowUnsafeRollback");

    private final NodeReader in;
    private final Set<String> listed = new LinkedHashSet<>();

    BuildsReader(NodeReader in) {
        this.in = in;
    }

    /** The well-formed builds, in the file's order. */
    Map<String, BuildSpec> builds(NodeReader.Entry entry) {
        Map<String, BuildSpec> builds = new LinkedHashMap<>();
        if (NodeReader.isNull(entry.value())) {
            return builds;
        }
        Optional<Map<String, NodeReader.Entry>> found = in.mapping(entry.value(), "spec.builds", Optional.empty());
        for (NodeReader.Entry build : found.orElseGet(Map::of).values()) {
            String field = "spec.builds." + build.key();
            listed.add(build.key());
            Optional<String> nameProblem = BuildNames.problem(build.key());
            nameProblem.ifPresent(p -> in.error(build.keyNode(), field, p));
            build(build, field).filter(b -> nameProblem.isEmpty()).ifPresent(b -> builds.put(b.name(), b));
        }
        return builds;
    }

    private Optional<BuildSpec> build(NodeReader.Entry entry, String field) {
        Optional<Map<String, NodeReader.Entry>> found = in.mapping(entry.value(), field, Optional.of(BUILD_KEYS));
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Map<String, NodeReader.Entry> f = found.get();
        in.require(f, entry.keyNode(), field, "ref");
        Optional<String> ref = in.checked(f, field, "ref", SpecRules::refProblem);
        Optional<Boolean> active = Optional.ofNullable(f.get("active")).flatMap(e -> in.bool(e.value(), field + ".active"));
        boolean activeBroken = f.containsKey("active") && active.isEmpty();
        Optional<String> path = in.checked(f, field, "path", SpecRules::relativePathProblem);
        Optional<String> settings = in.checked(f, field, "settings", SpecRules::moduleProblem);
        Optional<String> wsgi = in.checked(f, field, "wsgi", SpecRules::moduleProblem);
        Optional<String> health = in.checked(f, field, "healthPath", SpecRules::healthPathProblem);
        Optional<Boolean> unsafeRollback = Optional.ofNullable(f.get("allowUnsafeRollback"))
                .flatMap(e -> in.bool(e.value(), field + ".allowUnsafeRollback"));
        boolean unsafeBroken = f.containsKey("allowUnsafeRollback") && unsafeRollback.isEmpty();
        if (ref.isEmpty() || activeBroken || unsafeBroken) {
            return Optional.empty();
        }
        return Optional.of(new BuildSpec(entry.key(), ref.get(), active.orElse(true), path, settings, wsgi,
                health, unsafeRollback.orElse(false)));
    }

    /** live/stage: empty means none; otherwise the name of a listed, active build. */
    Optional<String> pointer(NodeReader.Entry entry, String field, Map<String, BuildSpec> builds) {
        if (NodeReader.isNull(entry.value())) {
            return Optional.empty();
        }
        String role = field.substring("spec.".length());
        Optional<String> name = in.string(entry.value(), field);
        if (name.isEmpty()) {
            return Optional.empty();
        }
        String build = name.get();
        Optional<String> problem = BuildNames.problem(build);
        if (problem.isPresent()) {
            in.error(entry.value(), field, problem.get());
        } else if (!builds.containsKey(build) && listed.contains(build)) {
            return Optional.empty();
        } else if (!builds.containsKey(build)) {
            in.error(entry.value(), field, role + " names build \"" + build
                    + "\", which is not listed in spec.builds");
        } else if (!builds.get(build).active()) {
            in.error(entry.value(), field, role + " names build \"" + build
                    + "\", which is inactive (active: false); activate it first");
        } else {
            return name;
        }
        return Optional.empty();
    }
}
