package dev.regent.spec;

import dev.regent.fleet.FleetSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Checks a composed desired-state document against format v1 and builds the {@link DesiredState}.
 * Pure: no file system, no host. Reports every problem it can find in one pass.
 */
public final class SpecValidator {
    private static final Set<String> ROOT_KEYS = keys("apiVersion", "kind", "metadata", "spec");
    private static final Set<String> METADATA_KEYS = keys("name");
    private static final Set<String> SPEC_KEYS = keys("source", "builds", "live", "stage", "steps", "strategy", "syncWindows",
            "healthTimeout", "migrations", "dependencies", "site", "promotion", "notifications", "fleet");
    private static final Set<String> SOURCE_KEYS = keys("repo", "path", "settings", "wsgi", "healthPath");
    private static final Set<String> BUILD_KEYS = keys("ref", "active", "path", "settings", "wsgi", "healthPath",
            "allowUnsafeRollback");
    private static final Set<String> MIGRATIONS_KEYS = keys("lockTimeout", "statementTimeout", "allow", "postMigrate");
    private static final Set<String> DEPENDENCIES_KEYS = keys("index");
    private static final Set<String> STEP_KEYS = keys("name", "run");
    private static final Set<String> WINDOW_KEYS = keys("kind", "schedule", "duration");

    private SpecValidator() {
    }

    public static LoadResult validate(Path file, Optional<Node> root) {
        if (root.isEmpty()) {
            return new LoadResult.Invalid(List.of(new SpecError(file, 1, 1, "",
                    "the file is empty; expected apiVersion, kind, metadata and spec")));
        }
        return new Run(file).validate(root.get());
    }

    private static Set<String> keys(String... names) {
        return Collections.unmodifiableSet(new LinkedHashSet<>(List.of(names)));
    }

    private static final class Run {
        private final Path file;
        private final NodeReader in;
        private final Set<String> listedBuilds = new LinkedHashSet<>();

        Run(Path file) {
            this.file = file;
            this.in = new NodeReader(file);
        }

        LoadResult validate(Node root) {
            Optional<Map<String, NodeReader.Entry>> top = in.mapping(root, "", Optional.of(ROOT_KEYS));
            if (top.isEmpty()) {
                return new LoadResult.Invalid(in.errors());
            }
            Map<String, NodeReader.Entry> fields = top.get();
            in.require(fields, root, "", "apiVersion", "kind", "metadata", "spec");
            entry(fields, "apiVersion").flatMap(e -> in.string(e.value(), "apiVersion"))
                    .filter(v -> !v.equals(SpecRules.API_VERSION))
                    .ifPresent(v -> in.error(fields.get("apiVersion").value(), "apiVersion",
                            "unsupported apiVersion \"" + v + "\"; expected \"" + SpecRules.API_VERSION + "\""));
            Optional<String> kind = entry(fields, "kind").flatMap(e -> in.string(e.value(), "kind"));
            kind.filter(v -> !v.equals(SpecRules.KIND) && !v.equals(SpecRules.FLEET_KIND))
                    .ifPresent(v -> in.error(fields.get("kind").value(), "kind", "unsupported kind \"" + v
                            + "\"; expected \"" + SpecRules.KIND + "\" or \"" + SpecRules.FLEET_KIND + "\""));
            Optional<String> name = entry(fields, "metadata").flatMap(this::metadata);
            Optional<SpecParts> spec = entry(fields, "spec").flatMap(e -> spec(e, kind));
            List<SpecError> errors = in.errors();
            if (!errors.isEmpty() || name.isEmpty() || spec.isEmpty()) {
                return new LoadResult.Invalid(errors.isEmpty() ? List.of(new SpecError(file, 1, 1, "",
                        "the file is incomplete")) : errors);
            }
            SpecParts parts = spec.get();
            return new LoadResult.Valid(new DesiredState(file, name.get(), parts.source(),
                    Collections.unmodifiableMap(parts.builds()), parts.live(), parts.stage(),
                    List.copyOf(parts.steps()), Collections.unmodifiableMap(new LinkedHashMap<>(in.fieldLines())),
                    parts.strategy(), List.copyOf(parts.windows()), parts.healthTimeout(), parts.migrations(),
                    parts.dependencies(), parts.site(), parts.promotion(), parts.notifications(), parts.fleet()));
        }

        private record SpecParts(Source source, Map<String, BuildSpec> builds, Optional<String> live,
                Optional<String> stage, List<Step> steps, Strategy strategy, List<SyncWindow> windows,
                Duration healthTimeout, MigrationSpec migrations, DependencySpec dependencies, SiteSpec site,
                PromotionSpec promotion, List<NotificationSpec> notifications, Optional<FleetSpec> fleet) {
        }

        private Optional<String> metadata(NodeReader.Entry entry) {
            Optional<Map<String, NodeReader.Entry>> fields = in.mapping(entry.value(), "metadata",
                    Optional.of(METADATA_KEYS));
            fields.ifPresent(f -> in.require(f, entry.keyNode(), "metadata", "name"));
            return fields.flatMap(f -> checked(f, "metadata", "name", SpecRules::projectNameProblem));
        }

        /** {@code kind} decides whether spec.fleet is required (Fleet) or refused (Host); an unknown kind, neither. */
        private Optional<SpecParts> spec(NodeReader.Entry entry, Optional<String> kind) {
            Optional<Map<String, NodeReader.Entry>> found = in.mapping(entry.value(), "spec", Optional.of(SPEC_KEYS));
            if (found.isEmpty()) {
                return Optional.empty();
            }
            Map<String, NodeReader.Entry> fields = found.get();
            in.require(fields, entry.keyNode(), "spec", "source");
            Optional<Source> source = entry(fields, "source").flatMap(this::source);
            Map<String, BuildSpec> builds = entry(fields, "builds").map(this::builds).orElseGet(LinkedHashMap::new);
            Optional<String> live = entry(fields, "live").flatMap(e -> pointer(e, "spec.live", builds));
            Optional<String> stage = entry(fields, "stage").flatMap(e -> pointer(e, "spec.stage", builds));
            if (live.isPresent() && live.equals(stage)) {
                in.error(fields.get("stage").value(), "spec.stage", "live and stage both name build \""
                        + live.get() + "\"; they must differ");
            }
            List<Step> steps = entry(fields, "steps").map(this::steps).orElse(SpecLoader.DEFAULT_STEPS);
            Strategy strategy = checked(fields, "spec", "strategy", Strategy::problem).flatMap(Strategy::of)
                    .orElse(Strategy.SOCKET);
            List<SyncWindow> windows = entry(fields, "syncWindows").map(this::windows).orElseGet(List::of);
            Duration healthTimeout = checked(fields, "spec", "healthTimeout", HealthTimeout::problem)
                    .flatMap(HealthTimeout::parse).orElse(HealthTimeout.DEFAULT);
            MigrationSpec migrations = entry(fields, "migrations").map(this::migrations).orElse(MigrationSpec.DEFAULT);
            DependencySpec dependencies = entry(fields, "dependencies").map(this::dependencies).orElse(DependencySpec.NONE);
            SiteSpec site = entry(fields, "site").map(new SiteReader(in)::read).orElse(SiteSpec.NONE);
            PromotionSpec promotion = entry(fields, "promotion").map(new PromotionReader(in)::read)
                    .orElse(PromotionSpec.DEFAULT);
            List<NotificationSpec> notifications = entry(fields, "notifications").map(new NotificationReader(in)::read)
                    .orElseGet(List::of);
            Optional<FleetSpec> fleet = new FleetReader(in).read(kind, entry, entry(fields, "fleet"));
            return source.map(s -> new SpecParts(s, builds, live, stage, steps, strategy, windows, healthTimeout,
                    migrations, dependencies, site, promotion, notifications, fleet));
        }

        private MigrationSpec migrations(NodeReader.Entry entry) {
            Optional<Map<String, NodeReader.Entry>> found = in.mapping(entry.value(), "spec.migrations",
                    Optional.of(MIGRATIONS_KEYS));
            if (found.isEmpty()) {
                return MigrationSpec.DEFAULT;
            }
            Map<String, NodeReader.Entry> f = found.get();
            Duration lock = checked(f, "spec.migrations", "lockTimeout", t -> MigrationSpec.durationProblem("lockTimeout", t))
                    .flatMap(MigrationSpec::parse).orElse(MigrationSpec.DEFAULT.lockTimeout());
            Duration statement = checked(f, "spec.migrations", "statementTimeout",
                    t -> MigrationSpec.durationProblem("statementTimeout", t))
                    .flatMap(MigrationSpec::parse).orElse(MigrationSpec.DEFAULT.statementTimeout());
            var allow = new LinkedHashSet<String>();
            List<Node> items = entry(f, "allow").flatMap(e -> in.sequence(e.value(), "spec.migrations.allow"))
                    .orElseGet(List::of);
            for (int i = 0; i < items.size(); i++) {
                String field = "spec.migrations.allow[" + i + "]";
                Node item = items.get(i);
                in.string(item, field).ifPresent(name -> MigrationSpec.migrationProblem(name).ifPresentOrElse(
                        p -> in.error(item, field, p), () -> allow.add(name)));
            }
            List<String> postMigrate = entry(f, "postMigrate").flatMap(e -> run(e, "spec.migrations.postMigrate"))
                    .orElseGet(List::of);
            return new MigrationSpec(lock, statement, allow, postMigrate);
        }

        private DependencySpec dependencies(NodeReader.Entry entry) {
            return in.mapping(entry.value(), "spec.dependencies", Optional.of(DEPENDENCIES_KEYS))
                    .map(f -> new DependencySpec(checked(f, "spec.dependencies", "index", DependencySpec::indexProblem)))
                    .orElse(DependencySpec.NONE);
        }

        private Optional<Source> source(NodeReader.Entry entry) {
            Optional<Map<String, NodeReader.Entry>> found = in.mapping(entry.value(), "spec.source",
                    Optional.of(SOURCE_KEYS));
            if (found.isEmpty()) {
                return Optional.empty();
            }
            Map<String, NodeReader.Entry> f = found.get();
            in.require(f, entry.keyNode(), "spec.source", "repo", "path");
            Optional<String> repo = checked(f, "spec.source", "repo", SpecRules::repoProblem);
            Optional<String> path = checked(f, "spec.source", "path", SpecRules::relativePathProblem);
            Optional<String> settings = checked(f, "spec.source", "settings", SpecRules::moduleProblem);
            Optional<String> wsgi = checked(f, "spec.source", "wsgi", SpecRules::moduleProblem);
            String health = checked(f, "spec.source", "healthPath", SpecRules::healthPathProblem)
                    .orElse(Source.DEFAULT_HEALTH_PATH);
            if (repo.isEmpty() || path.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new Source(repo.get(), path.get(), settings, wsgi, health));
        }

        private Map<String, BuildSpec> builds(NodeReader.Entry entry) {
            Map<String, BuildSpec> builds = new LinkedHashMap<>();
            if (NodeReader.isNull(entry.value())) {
                return builds;
            }
            Optional<Map<String, NodeReader.Entry>> found = in.mapping(entry.value(), "spec.builds", Optional.empty());
            for (NodeReader.Entry build : found.orElseGet(Map::of).values()) {
                String field = "spec.builds." + build.key();
                listedBuilds.add(build.key());
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
            Optional<String> ref = checked(f, field, "ref", SpecRules::refProblem);
            Optional<Boolean> active = entry(f, "active").flatMap(e -> in.bool(e.value(), field + ".active"));
            boolean activeBroken = f.containsKey("active") && active.isEmpty();
            Optional<String> path = checked(f, field, "path", SpecRules::relativePathProblem);
            Optional<String> settings = checked(f, field, "settings", SpecRules::moduleProblem);
            Optional<String> wsgi = checked(f, field, "wsgi", SpecRules::moduleProblem);
            Optional<String> health = checked(f, field, "healthPath", SpecRules::healthPathProblem);
            Optional<Boolean> unsafeRollback = entry(f, "allowUnsafeRollback")
                    .flatMap(e -> in.bool(e.value(), field + ".allowUnsafeRollback"));
            boolean unsafeBroken = f.containsKey("allowUnsafeRollback") && unsafeRollback.isEmpty();
            if (ref.isEmpty() || activeBroken || unsafeBroken) {
                return Optional.empty();
            }
            return Optional.of(new BuildSpec(entry.key(), ref.get(), active.orElse(true), path, settings, wsgi,
                    health, unsafeRollback.orElse(false)));
        }

        /** live/stage: empty means none; otherwise the name of a listed, active build. */
        private Optional<String> pointer(NodeReader.Entry entry, String field, Map<String, BuildSpec> builds) {
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
            } else if (!builds.containsKey(build) && listedBuilds.contains(build)) {
                return Optional.empty(); // the entry itself is broken and already reported
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

        private List<SyncWindow> windows(NodeReader.Entry entry) {
            List<SyncWindow> windows = new ArrayList<>();
            List<Node> items = in.sequence(entry.value(), "spec.syncWindows").orElseGet(List::of);
            for (int i = 0; i < items.size(); i++) {
                String field = "spec.syncWindows[" + i + "]";
                in.recordLine(field, items.get(i));
                Optional<Map<String, NodeReader.Entry>> found = in.mapping(items.get(i), field, Optional.of(WINDOW_KEYS));
                if (found.isEmpty()) {
                    continue;
                }
                Map<String, NodeReader.Entry> f = found.get();
                in.require(f, items.get(i), field, "kind", "schedule", "duration");
                Optional<String> kind = checked(f, field, "kind", k -> k.equals("allow") || k.equals("deny")
                        ? Optional.empty() : Optional.of("kind must be allow or deny"));
                Optional<String> schedule = checked(f, field, "schedule", SyncWindow::scheduleProblem);
                Optional<String> duration = checked(f, field, "duration", d -> SyncWindow.parseDuration(d).isPresent()
                        ? Optional.empty() : Optional.of("duration \"" + d + "\" must look like 8h, 30m or 1h30m"));
                if (kind.isPresent() && schedule.isPresent() && duration.isPresent()) {
                    windows.add(new SyncWindow(kind.get().equals("allow") ? SyncWindow.Kind.ALLOW : SyncWindow.Kind.DENY,
                            schedule.get(), SyncWindow.parseDuration(duration.get()).orElseThrow()));
                }
            }
            return windows;
        }

        private List<Step> steps(NodeReader.Entry entry) {
            List<Step> steps = new ArrayList<>();
            Map<String, Node> seen = new HashMap<>();
            List<Node> items = in.sequence(entry.value(), "spec.steps").orElseGet(List::of);
            for (int i = 0; i < items.size(); i++) {
                String field = "spec.steps[" + i + "]";
                Node item = items.get(i);
                in.recordLine(field, item);
                Optional<Map<String, NodeReader.Entry>> found = in.mapping(item, field, Optional.of(STEP_KEYS));
                if (found.isEmpty()) {
                    continue;
                }
                Map<String, NodeReader.Entry> f = found.get();
                in.require(f, item, field, "name", "run");
                Optional<String> name = checked(f, field, "name", SpecRules::stepNameProblem);
                name.filter(seen::containsKey).ifPresent(n -> in.error(f.get("name").value(), field + ".name",
                        "duplicate step name \"" + n + "\" (first at line "
                                + (seen.get(n).getStartMark().getLine() + 1) + ")"));
                name.ifPresent(n -> seen.putIfAbsent(n, f.get("name").value()));
                Optional<List<String>> run = entry(f, "run").flatMap(e -> run(e, field + ".run"));
                if (name.isPresent() && run.isPresent()) {
                    steps.add(new Step(name.get(), run.get()));
                }
            }
            return steps;
        }

        private Optional<List<String>> run(NodeReader.Entry entry, String field) {
            Optional<List<Node>> items = in.sequence(entry.value(), field);
            if (items.isEmpty()) {
                return Optional.empty();
            }
            if (items.get().isEmpty()) {
                in.error(entry.value(), field, "must list the program and its arguments, e.g. [python3, -V]");
                return Optional.empty();
            }
            List<String> args = new ArrayList<>();
            for (int i = 0; i < items.get().size(); i++) {
                in.string(items.get().get(i), field + "[" + i + "]").ifPresent(args::add);
            }
            if (args.size() != items.get().size()) {
                return Optional.empty();
            }
            if (args.get(0).isEmpty()) {
                in.error(items.get().get(0), field + "[0]", "the program to run must not be empty");
                return Optional.empty();
            }
            return Optional.of(List.copyOf(args));
        }

        /** An optional string field, checked by {@code rule}; empty when absent or rejected. */
        private Optional<String> checked(Map<String, NodeReader.Entry> fields, String parent, String key,
                Function<String, Optional<String>> rule) {
            Optional<NodeReader.Entry> entry = entry(fields, key);
            if (entry.isEmpty()) {
                return Optional.empty();
            }
            String field = NodeReader.join(parent, key);
            Optional<String> value = in.string(entry.get().value(), field);
            Optional<String> problem = value.flatMap(rule);
            problem.ifPresent(p -> in.error(entry.get().value(), field, p));
            return problem.isPresent() ? Optional.empty() : value;
        }

        private static Optional<NodeReader.Entry> entry(Map<String, NodeReader.Entry> fields, String key) {
            return Optional.ofNullable(fields.get(key));
        }
    }
}
