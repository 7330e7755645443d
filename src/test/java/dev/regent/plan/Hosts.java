package dev.regent.plan;

import dev.regent.nginx.NginxIncludes;
import dev.regent.observe.BuildFailure;
import dev.regent.observe.BuildRecord;
import dev.regent.observe.BreakingMigration;
import dev.regent.observe.MigrationRecord;
import dev.regent.migrate.MigrationPlan;
import dev.regent.observe.NginxApplied;
import dev.regent.observe.ObservedBuild;
import dev.regent.observe.ObservedHost;
import dev.regent.observe.ObservedSite;
import dev.regent.site.CertificateFiles;
import dev.regent.spec.DependencySpec;
import dev.regent.spec.SiteSpec;
import dev.regent.observe.PostMigrateRun;
import dev.regent.observe.ReadyMarker;
import dev.regent.safety.HealthProof;
import dev.regent.spec.BuildNames;
import dev.regent.spec.BuildSpec;
import dev.regent.spec.BuildSpecs;
import dev.regent.spec.DesiredState;
import dev.regent.spec.MigrationSpec;
import dev.regent.spec.Source;
import dev.regent.spec.Step;
import dev.regent.spec.Strategy;
import dev.regent.uwsgi.StatsReader.UwsgiStats;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Plain-value builders of desired and observed states for planner tests. */
final class Hosts {
    static final String REF = "v1";
    static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");
    /** A project with its own health view: plans name whatever path the source gives. */
    static final Source SOURCE = new Source("repo", "app", Optional.empty(), Optional.empty(), "/healthz");

    private Hosts() {
    }

    // ---- nginx includes -----------------------------------------------------------------

    /** The live.conf a build carries under a strategy (what WriteIncludes writes). */
    static String liveInclude(Strategy strategy, String build) {
        return NginxIncludes.content(strategy, build, NginxIncludes.LIVE, BuildNames.port(build));
    }

    /** The stage.conf a build carries under a strategy. */
    static String stageInclude(Strategy strategy, String build) {
        return NginxIncludes.content(strategy, build, NginxIncludes.STAGE, BuildNames.port(build));
    }

    /** The WriteIncludes action the planner makes for a build under a strategy. */
    static Action.WriteIncludes writeIncludes(Strategy strategy, String build) {
        return new Action.WriteIncludes(build, liveInclude(strategy, build), stageInclude(strategy, build));
    }

    /** What NginxControl records after loading the includes of these role holders under a strategy. */
    static NginxApplied applied(Strategy strategy, Optional<String> live, Optional<String> stage) {
        boolean pins = strategy == Strategy.RELOAD;
        return new NginxApplied(pins ? live : Optional.empty(), pins ? stage : Optional.empty(), T0,
                live.map(b -> liveInclude(strategy, b)), stage.map(b -> stageInclude(strategy, b)));
    }

    // ---- desired -------------------------------------------------------------------------

    static Desired desired() {
        return new Desired();
    }

    /** Desired: builds a, b (ref v1), live a, stage b; strategy socket (the default). */
    static DesiredState desiredAB() {
        return desiredAB(Strategy.SOCKET);
    }

    static DesiredState desiredAB(Strategy strategy) {
        return desired().build("a").build("b").live("a").stage("b").strategy(strategy).get();
    }

    static final class Desired {
        private final Map<String, BuildSpec> builds = new LinkedHashMap<>();
        private final Map<String, Integer> lines = new LinkedHashMap<>();
        private Optional<String> live = Optional.empty();
        private Optional<String> stage = Optional.empty();
        private Strategy strategy = Strategy.SOCKET;
        private MigrationSpec migrations = MigrationSpec.DEFAULT;
        private SiteSpec site = SiteSpec.NONE;
        private dev.regent.spec.PromotionSpec promotion = dev.regent.spec.PromotionSpec.DEFAULT;

        Desired promotion(dev.regent.spec.PromotionSpec value) {
            promotion = value;
            return this;
        }

        Desired site(SiteSpec value) {
            site = value;
            return this;
        }

        Desired build(String name) {
            return build(name, REF);
        }

        Desired build(String name, String ref) {
            builds.put(name, BuildSpecs.of(name, ref));
            return this;
        }

        Desired allowUnsafeRollback(String name) {
            BuildSpec b = builds.get(name);
            builds.put(name, new BuildSpec(b.name(), b.ref(), b.active(), b.path(), b.settings(), b.wsgi(), b.healthPath(), true));
            return this;
        }

        Desired inactive(String name) {
            builds.put(name, BuildSpecs.inactive(name, REF));
            return this;
        }

        Desired line(String field, int line) {
            lines.put(field, line);
            return this;
        }

        Desired live(String name) {
            live = Optional.of(name);
            return this;
        }

        Desired stage(String name) {
            stage = Optional.of(name);
            return this;
        }

        Desired strategy(Strategy value) {
            strategy = value;
            return this;
        }

        /** spec.migrations.postMigrate: the contract step's argument list. */
        Desired postMigrate(String... run) {
            migrations = new MigrationSpec(migrations.lockTimeout(), migrations.statementTimeout(), migrations.allow(),
                    List.of(run));
            return this;
        }

        DesiredState get() {
            return new DesiredState(Path.of("desired-state.yaml"), "proj", SOURCE, new LinkedHashMap<>(builds), live, stage,
                    List.of(new Step("migrate", List.of("python", "manage.py", "migrate"))), Map.copyOf(lines), strategy,
                    List.of(), dev.regent.spec.HealthTimeout.DEFAULT, migrations, DependencySpec.NONE, site, promotion, List.of());
        }
    }

    // ---- observed builds ----------------------------------------------------------------

    static Found found(String name) {
        return new Found(name);
    }

    /** A complete build whose vassal and pool run, healthy, migrated and warm, with socket includes. */
    static ObservedBuild running(String name) {
        return running(name, Strategy.SOCKET);
    }

    /** A complete build whose vassal and pool run, healthy and warm, with the strategy's includes. */
    static ObservedBuild running(String name, Strategy strategy) {
        return found(name).complete().includes(strategy).linked().healthy().migrated().warm().get();
    }

    static final class Found {
        private final String name;
        private boolean folder;
        private Optional<BuildRecord> record = Optional.empty();
        private boolean vassalLinked;
        private boolean poolLinked;
        private Optional<UwsgiStats> vassal = Optional.empty();
        private Optional<UwsgiStats> pool = Optional.empty();
        private Optional<ReadyMarker> healthyMarker = Optional.empty();
        private Optional<ReadyMarker> warmMarker = Optional.empty();
        private Optional<BuildFailure> failure = Optional.empty();
        private Optional<String> liveInclude = Optional.empty();
        private Optional<String> stageInclude = Optional.empty();
        private Optional<MigrationRecord> migration = Optional.empty();

        Found(String name) {
            this.name = name;
        }

        /** A folder without regent-build.json. */
        Found folder() {
            folder = true;
            return this;
        }

        Found complete() {
            return complete(REF);
        }

        Found complete(String ref) {
            folder = true;
            record = Optional.of(new BuildRecord(name, ref, "0123456789abcdef0123456789abcdef01234567", "app",
                    BuildNames.port(name), "tag", T0));
            return this;
        }

        Found linked() {
            vassalLinked = true;
            poolLinked = true;
            vassal = Optional.of(new UwsgiStats(100 + BuildNames.index(name), 0, 0, 0, null));
            pool = Optional.of(new UwsgiStats(200 + BuildNames.index(name), 2, 2, 0, null));
            return this;
        }

        Found vassalOnly() {
            vassalLinked = true;
            vassal = Optional.of(new UwsgiStats(100 + BuildNames.index(name), 0, 0, 0, null));
            return this;
        }

        /** zerg.ini linked, but no pool answers its stats socket (killed); so neither healthy nor warm. */
        Found poolKilled() {
            poolLinked = true;
            pool = Optional.empty();
            return this;
        }

        /** Linked and proven, but the router was respawned after the pool attached: neither healthy nor warm. */
        Found orphaned() {
            linked();
            healthyMarker = Optional.of(new ReadyMarker(pool.get().pid(), vassal.get().pid() + 1000, T0));
            return this;
        }

        /** A health proof for the pool running now (call linked() first). */
        Found healthy() {
            healthyMarker = Optional.of(new ReadyMarker(pool.orElseThrow().pid(), vassal.map(UwsgiStats::pid).orElse(0), T0));
            return this;
        }

        /** Its release phase ran, with nothing pending (call complete() first). */
        Found migrated(String... known) {
            return migration(MigrationRecord.State.MIGRATED, known);
        }

        /** Migrated while these builds held a role (call complete() first). */
        Found migratedWhile(String... previous) {
            migrated();
            migration = migration.map(m -> m.withPrevious(List.of(previous)));
            return this;
        }

        /** Its migration was run by another host of the fleet and adopted here (call a migrated method first). */
        Found adoptedFrom(String host) {
            migration = migration.map(m -> new MigrationRecord(m.build(), m.ref(), m.state(), m.plan(), m.refused(),
                    m.allowedBreaking(), m.failedMigration(), m.detail(), m.at(), m.previous(), m.postMigrate(),
                    Optional.of(host)));
            return this;
        }

        /** Its contract step ran with this argument list (call a migrated method first). */
        Found postMigrate(PostMigrateRun.Status status, String... run) {
            migration = migration.map(m -> m.withPostMigrate(new PostMigrateRun(List.of(run), status,
                    status == PostMigrateRun.Status.FAILED ? "exit code 1\nCommandError: column still read" : "exit code 0\n",
                    T0.plusSeconds(120))));
            return this;
        }

        Found migration(MigrationRecord.State state, String... known) {
            migration = Optional.of(new MigrationRecord(name, record.orElseThrow().ref(), state,
                    new MigrationPlan(true, List.of(), List.of(known), List.of(known)), List.of(), List.of(),
                    Optional.empty(), "", T0.plusSeconds(30)));
            return this;
        }

        Found warm() {
            warmMarker = Optional.of(new ReadyMarker(pool.orElseThrow().pid(), T0));
            return this;
        }

        /** live.conf and stage.conf as WriteIncludes writes them under the default strategy (socket). */
        Found includes() {
            return includes(Strategy.SOCKET);
        }

        /** live.conf and stage.conf as WriteIncludes writes them under this strategy. */
        Found includes(Strategy strategy) {
            return includes(Optional.of(liveInclude(strategy, name)), Optional.of(stageInclude(strategy, name)));
        }

        /** Any contents (empty: the file is missing). */
        Found includes(Optional<String> live, Optional<String> stage) {
            liveInclude = live;
            stageInclude = stage;
            return this;
        }

        Found failed(String ref, String step) {
            failure = Optional.of(new BuildFailure(name, ref, step, "boom: step output\n", T0));
            return this;
        }

        /** A complete build whose pool was marked failed after it was made (call complete() first). */
        Found startFailed(String step) {
            String ref = record.orElseThrow().ref();
            failure = Optional.of(new BuildFailure(name, ref, step, "boom: no answer\n", T0.plusSeconds(60)));
            return this;
        }

        /** A failure record with the build's ref, older than the build: left by an earlier attempt. */
        Found staleFailure(String step) {
            String ref = record.orElseThrow().ref();
            failure = Optional.of(new BuildFailure(name, ref, step, "boom: old\n", T0.minusSeconds(60)));
            return this;
        }

        /** healthy, warm and orphaned as the observer derives them from the markers, by the one health-proof rule. */
        ObservedBuild get() {
            HealthProof proof = HealthProof.of(healthyMarker, pool, vassal);
            boolean healthy = proof == HealthProof.PROVEN;
            boolean warm = healthy && HealthProof.madeFor(warmMarker, pool);
            var found = new ObservedBuild(name, folder, record, vassalLinked, poolLinked, vassal, pool, healthy, warm,
                    failure, liveInclude, stageInclude);
            return (proof == HealthProof.ORPHANED ? found.withOrphanedPool() : found).withMigration(migration);
        }
    }

    // ---- observed hosts -----------------------------------------------------------------

    static Host host() {
        return new Host();
    }

    /** Nothing built, no links, containers up. */
    static ObservedHost fresh() {
        return host().get();
    }

    /**
     * All named builds running with socket includes; live is the first, stage the second; nginx
     * confirmed on both (it loaded their includes).
     */
    static ObservedHost converged(String... names) {
        return converged(Strategy.SOCKET, names);
    }

    /** As {@link #converged(String...)}, every include and nginx's record as the strategy makes them. */
    static ObservedHost converged(Strategy strategy, String... names) {
        Host host = host();
        for (String name : names) {
            host.with(running(name, strategy));
        }
        Optional<String> live = names.length > 0 ? Optional.of(names[0]) : Optional.empty();
        Optional<String> stage = names.length > 1 ? Optional.of(names[1]) : Optional.empty();
        live.ifPresent(host::live);
        stage.ifPresent(host::stage);
        return host.nginx(strategy, live, stage).get();
    }

    static final class Host {
        private final Map<String, ObservedBuild> builds = new TreeMap<>();
        private final List<String> assemblies = new ArrayList<>();
        private Optional<String> live = Optional.empty();
        private Optional<String> stage = Optional.empty();
        private Optional<NginxApplied> nginx = Optional.empty();
        private boolean web = true;
        private boolean nginxUp = true;
        private final List<String> unreadable = new ArrayList<>();
        private final List<BreakingMigration> breaking = new ArrayList<>();
        private Optional<CertificateFiles> certificate = Optional.empty();
        private ObservedSite site = ObservedSite.NONE;

        /** spec.site.tls's files as the observer read them. */
        Host certificate(CertificateFiles files) {
            certificate = Optional.of(files);
            return this;
        }

        /** What nginx last loaded of spec.site, and whether deploy/nginx/site.conf exists. */
        Host site(ObservedSite value) {
            site = value;
            return this;
        }

        /** A migration applied by opt-in, as the ledger records it. */
        Host breaking(String migration, String build) {
            breaking.add(new BreakingMigration(migration, build, T0.plusSeconds(90)));
            return this;
        }

        private dev.regent.observe.ObservedPromotion promotion = dev.regent.observe.ObservedPromotion.NONE;

        Host from(ObservedHost h) {
            builds.putAll(h.builds());
            assemblies.addAll(h.assemblies());
            live = h.live();
            stage = h.stage();
            nginx = h.nginx();
            web = h.containers().web();
            nginxUp = h.containers().nginx();
            unreadable.addAll(h.unreadable());
            breaking.addAll(h.breaking());
            certificate = h.certificate();
            site = h.site();
            promotion = h.promotion();
            return this;
        }

        Host with(ObservedBuild build) {
            builds.put(build.name(), build);
            return this;
        }

        Host with(Found build) {
            return with(build.get());
        }

        Host assembly(String folder) {
            assemblies.add(folder);
            return this;
        }

        Host live(String name) {
            live = Optional.of(name);
            return this;
        }

        Host noLive() {
            live = Optional.empty();
            return this;
        }

        Host stage(String name) {
            stage = Optional.of(name);
            return this;
        }

        /** nginx last loaded the strategy's includes of these builds (as NginxControl records it). */
        Host nginx(Strategy strategy, Optional<String> live, Optional<String> stage) {
            return nginx(applied(strategy, live, stage));
        }

        Host nginx(Strategy strategy, String live, String stage) {
            return nginx(strategy, Optional.ofNullable(live), Optional.ofNullable(stage));
        }

        Host nginx(NginxApplied applied) {
            nginx = Optional.of(applied);
            return this;
        }

        Host noNginx() {
            nginx = Optional.empty();
            return this;
        }

        /** A file a safety rule reads exists but could not be read, as the observer reports it. */
        Host unreadable(String fileAndError) {
            unreadable.add(fileAndError);
            return this;
        }

        Host webDown() {
            web = false;
            return this;
        }

        Host nginxDown() {
            nginxUp = false;
            return this;
        }

        ObservedHost get() {
            return new ObservedHost(new TreeMap<>(builds), List.copyOf(assemblies), live, stage, nginx,
                    new ObservedHost.Containers(web, nginxUp), List.copyOf(unreadable), List.copyOf(breaking), certificate, site,
                    promotion);
        }
    }

    static Host from(ObservedHost h) {
        return host().from(h);
    }
}
