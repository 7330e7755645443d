package dev.regent.spec;

import dev.regent.fleet.FleetSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Checks a composed desired-state document against format v1 and builds the {@link DesiredState}.
 * Pure: no file system, no host. Reports every problem it can find in one pass.
 */
public final class SpecValidator {
    private static final Set<String> ROOT_KEYS = NodeReader.keys("apiVersion", "kind", "metadata", "spec");
    private static final Set<String> METADATA_KEYS = NodeReader.keys("name");
    private static final Set<String> SPEC_KEYS = NodeReader.keys("source", "builds", "live", "stage", "steps", "strategy", "syncWindows",
            "healthTimeout", "migrations", "dependencies", "site", "promotion", "notifications", "fleet");
    private static final Set<String> SOURCE_KEYS = NodeReader.keys("repo", "path", "settings", "wsgi", "healthPath");
    private static final Set<String> MIGRATIONS_KEYS = NodeReader.keys("lockTimeout", "statementTimeout", "allow", "postMigrate");
    private static final Set<String> DEPENDENCIES_KEYS = NodeReader.keys("index");

    private SpecValidator() {
    }

    public static LoadResult validate(Path file, Optional<Node> root) {
        if (root.isEmpty()) {
            return new LoadResult.Invalid(List.of(new SpecError(file, 1, 1, "",
                    "the file is empty; expected apiVersion, kind, metadata and spec")));
        }
        return new Run(file).validate(root.get());
    }

    private static final class Run {
        private final Path file;
        private final NodeReader in;
        private final BuildsReader builds;
        private final StepsReader lists;

        Run(Path file) {
            this.file = file;
            this.in = new NodeReader(file);
            this.builds = new BuildsReader(in);
            this.lists = new StepsReader(in);
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
            return fields.flatMap(f -> in.checked(f, "metadata", "name", SpecRules::projectNameProblem));
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
            Map<String, BuildSpec> listed = entry(fields, "builds").map(builds::builds).orElseGet(LinkedHashMap::new);
            Optional<String> live = entry(fields, "live").flatMap(e -> builds.pointer(e, "spec.live", listed));
            Optional<String> stage = entry(fields, "stage").flatMap(e -> builds.pointer(e, "spec.stage", listed));
            if (live.isPresent() && live.equals(stage)) {
                in.error(fields.get("stage").value(), "spec.stage", "live and stage both name build \""
                        + live.get() + "\"; they must differ");
            }
            List<Step> steps = entry(fields, "steps").map(lists::steps).orElse(SpecLoader.DEFAULT_STEPS);
            Strategy strategy = in.checked(fields, "spec", "strategy", Strategy::problem).flatMap(Strategy::of)
                    .orElse(Strategy.SOCKET);
            List<SyncWindow> windows = entry(fields, "syncWindows").map(lists::windows).orElseGet(List::of);
            Duration healthTimeout = in.checked(fields, "spec", "healthTimeout", HealthTimeout::problem)
                    .flatMap(HealthTimeout::parse).orElse(HealthTimeout.DEFAULT);
            MigrationSpec migrations = entry(fields, "migrations").map(this::migrations).orElse(MigrationSpec.DEFAULT);
            DependencySpec dependencies = entry(fields, "dependencies").map(this::dependencies).orElse(DependencySpec.NONE);
            SiteSpec site = entry(fields, "site").map(new SiteReader(in)::read).orElse(SiteSpec.NONE);
            PromotionSpec promotion = entry(fields, "promotion").map(new PromotionReader(in)::read)
                    .orElse(PromotionSpec.DEFAULT);
            List<NotificationSpec> notifications = entry(fields, "notifications").map(new NotificationReader(in)::read)
                    .orElseGet(List::of);
            Optional<FleetSpec> fleet = new FleetReader(in).read(kind, entry, entry(fields, "fleet"));
            return source.map(s -> new SpecParts(s, listed, live, stage, steps, strategy, windows, healthTimeout,
                    migrations, dependencies, site, promotion, notifications, fleet));
        }

        private MigrationSpec migrations(NodeReader.Entry entry) {
            Optional<Map<String, NodeReader.Entry>> found = in.mapping(entry.value(), "spec.migrations",
                    Optional.of(MIGRATIONS_KEYS));
            if (found.isEmpty()) {
                return MigrationSpec.DEFAULT;
            }
            Map<String, NodeReader.Entry> f = found.get();
            Duration lock = in.checked(f, "spec.migrations", "lockTimeout", t -> MigrationSpec.durationProblem("lockTimeout", t))
                    .flatMap(MigrationSpec::parse).orElse(MigrationSpec.DEFAULT.lockTimeout());
            Duration statement = in.checked(f, "spec.migrations", "statementTimeout",
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
            List<String> postMigrate = entry(f, "postMigrate").flatMap(e -> lists.run(e, "spec.migrations.postMigrate"))
                    .orElseGet(List::of);
            return new MigrationSpec(lock, statement, allow, postMigrate);
        }

        private DependencySpec dependencies(NodeReader.Entry entry) {
            return in.mapping(entry.value(), "spec.dependencies", Optional.of(DEPENDENCIES_KEYS))
                    .map(f -> new DependencySpec(in.checked(f, "spec.dependencies", "index", DependencySpec::indexProblem)))
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
            Optional<String> repo = in.checked(f, "spec.source", "repo", SpecRules::repoProblem);
            Optional<String> path = in.checked(f, "spec.source", "path", SpecRules::relativePathProblem);
            Optional<String> settings = in.checked(f, "spec.source", "settings", SpecRules::moduleProblem);
            Optional<String> wsgi = in.checked(f, "spec.source", "wsgi", SpecRules::moduleProblem);
            String health = in.checked(f, "spec.source", "healthPath", SpecRules::healthPathProblem)
                    .orElse(Source.DEFAULT_HEALTH_PATH);
            if (repo.isEmpty() || path.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new Source(repo.get(), path.get(), settings, wsgi, health));
        }

        private static Optional<NodeReader.Entry> entry(Map<String, NodeReader.Entry> fields, String key) {
            return Optional.ofNullable(fields.get(key));
        }
    }
}
