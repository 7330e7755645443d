package dev.regent.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.regent.fleet.etcd.EtcdCluster;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * Three real hosts of one fleet (web1, web2, web3: three stacks, each with `regent run --git` on
 * one origin, all on one PostgreSQL: the fleet's default, database: shared) behind a front nginx,
 * coordinated through a real 3-member etcd; maxParallel 1 in
 * the order web1, web2, web3. In order: a commit moves live on all three, one host at a time in
 * order, failing no request on the balancer; a build that fails its analysis is rolled back on
 * web1 and halts the rollout, and a newer commit resumes it; a host killed while it holds its
 * slot loses it to its lease and the next host moves; with one etcd member down a rollout still
 * completes, with two down no host moves live and the balancer fails nothing, and it finishes
 * once the members are back; a build with a new migration is rolled out and its migration runs
 * once for the fleet (one host leads it, the others adopt its result); the contract step of that
 * build runs once, on the host that migrated it, once no host serves the builds it waits out.
 *
 * <p>Isolated: it asserts that the balancer fails no request under wrk while hosts move.
 */
@Isolated
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FleetE2E {
    private static final Duration SLOT_TTL = Duration.ofSeconds(5);
    /** Generous on p99 so a loaded machine never fails a healthy build; the bad one fails half of /. */
    private static final String ANALYSIS =
            "    analysis: {window: 10s, interval: 2s, maxErrorRate: 1%, maxP99: 10s, minRequests: 10, failureLimit: 2}\n";
    private static final Duration ROLLOUT = Duration.ofMinutes(6);
    /** A contract step that adds a row naming the container it ran in to the table build d's migration made. */
    private static final String CONTRACT_STEP = "  migrations:\n    postMigrate: [venv/bin/python, app/manage.py, shell, -c,"
            + " \"import socket; from django.db import connection; connection.cursor().execute("
            + "'INSERT INTO pages_run_log (ran_by) VALUES (%s)', ['contract-' + socket.gethostname()])\"]\n";
    /** Creates a table and adds one row per run of it: a migration run twice shows two rows (or fails). */
    private static final String RUN_LOG_MIGRATION = """
            import socket

            from django.db import migrations


            def record_run(apps, schema_editor):
                with schema_editor.connection.cursor() as cursor:
                    cursor.execute("INSERT INTO pages_run_log (ran_by) VALUES (%s)", [socket.gethostname()])


            class Migration(migrations.Migration):
                dependencies = [('pages', '0001_initial')]
                operations = [
                    migrations.RunSQL("CREATE TABLE pages_run_log (id serial PRIMARY KEY, ran_by text NOT NULL)"),
                    migrations.RunPython(record_run),
                ]
            """;
    static EtcdCluster etcd;
    static FleetStacks fleet;
    static FrontBalancer balancer;
    static String goodRef;
    static String badRef;
    /** Build d: the commit whose migration logs each run (test 5). */
    static String dRef;

    @BeforeAll
    static void start() throws Exception {
        etcd = EtcdCluster.ofMembers(3);
        fleet = new FleetStacks(etcd, fleetFile("    a: {ref: HEAD}\n    b: {ref: HEAD}\n", "a", "b"));
        Stack first = fleet.stacks.get(0);
        goodRef = first.git("rev-parse", "HEAD").output().strip();
        String views = first.read(SampleViews.PATH);
        badRef = fleet.commit("index fails half of its requests", Map.of(SampleViews.PATH, SampleViews.indexFailing(views, 50)));
        fleet.commit("index as it was", Map.of(SampleViews.PATH, views));
        commitFleet("a", "b", false);
        fleet.up();
        balancer = FrontBalancer.over(fleet.stacks.stream().map(s -> s.livePort).toList());
        for (String host : FleetStacks.HOSTS) {
            fleet.startLoop(host);
        }
        Instant started = Instant.now();
        awaitConverged("a", "b", Duration.ofMinutes(10));
        System.out.printf("fleet of 3 converged on live a, stage b in %d s%n", Duration.between(started, Instant.now()).toSeconds());
    }

    @AfterAll
    static void stop() throws Exception {
        if (fleet != null) {
            fleet.close();
        }
        if (balancer != null) {
            balancer.close();
        }
        if (etcd != null) {
            etcd.close();
        }
    }

    @Test
    @Order(1)
    void aCommitMovesLiveOnOneHostAtATimeInOrderFailingNoRequest() throws Exception {
        Load load = Load.start(balancer.port, "/", 8, 600);
        Load.Result result;
        MoveSampler sampler = MoveSampler.watching(fleet, "b", 1);
        Instant committed;
        try {
            committed = Instant.now();
            commitFleet("b", "a", false);
            awaitConverged("b", "a", ROLLOUT);
        } finally {
            sampler.close();
            result = load.stop();
        }
        System.out.printf("rollout to b: %d s from the commit; %s; balancer: %s%n",
                Duration.between(committed, Instant.now()).toSeconds(), sampler.summary(), result.line());
        sampler.crowded().forEach(sample -> System.out.println("more than maxParallel: " + sample));
        assertThat(result.failed()).as("requests failed on the balancer: " + result.line()).isZero();
        assertThat(sampler.maxMidMove()).as("hosts mid-move at once (holding a slot, or moved with its slot key standing)").isLessThanOrEqualTo(1);
        assertThat(sampler.maxRecordsMoving()).as("records saying MOVING at once").isLessThanOrEqualTo(1);
        assertThat(sampler.moveOrder()).isEqualTo(FleetStacks.HOSTS);
    }

    @Test
    @Order(2)
    void aBuildFailingItsAnalysisIsRolledBackOnTheFirstHostAndHaltsTheRolloutUntilANewerCommit() throws Exception {
        Load load = Load.start(balancer.port, "/", 8, 600);
        MoveSampler sampler = MoveSampler.watching(fleet, "c", 1);
        JsonNode halt;
        String haltedCommit;
        long web2Log = fleet.logSize("web2");
        try {
            haltedCommit = commitFleet("c", "b", true);
            halt = await().atMost(ROLLOUT).pollInterval(Duration.ofMillis(200)).until(
                    () -> fleet.halts().orElse(List.of()).stream().filter(h -> sameRevision(h, haltedCommit)).findFirst(),
                    java.util.Optional::isPresent).orElseThrow();
            await().atMost(Duration.ofSeconds(60)).until(() -> fleet.liveBuild("web1").equals("b"));
            await().atMost(Duration.ofSeconds(60)).until(() -> fleet.logSince("web2", web2Log).contains(" halted: web1 failed: "));
            await().during(Duration.ofSeconds(10)).atMost(Duration.ofSeconds(30))
                    .until(() -> fleet.liveBuild("web2").equals("b") && fleet.liveBuild("web3").equals("b"));
        } finally {
            sampler.close();
            load.stop();
        }
        String web2 = fleet.logSince("web2", web2Log).lines().filter(l -> l.contains(" halted: web1 failed: "))
                .findFirst().orElseThrow();
        System.out.printf("halt of %s: %s; web1 record: %s; hosts that served c: %s; web2 reports: %s%n",
                haltedCommit.substring(0, 12), halt, fleet.records().map(r -> r.get("web1")).orElse(null),
                sampler.moveOrder(), web2);
        System.out.println("web2's /api/status shows FleetHalted: " + fleet.status("web2").contains("FleetHalted"));
        assertThat(halt.path("host").asText()).isEqualTo("web1");
        assertThat(halt.path("reason").asText()).isNotBlank();
        assertThat(sampler.moveOrder()).as("only web1 ever served c").containsExactly("web1");
        assertThat(web2).contains("live stays at b, not build c: the rollout of revision " + halt.path("revision").asText()
                + " halted: web1 failed: " + halt.path("reason").asText());

        Instant resumed = Instant.now();
        Load again = Load.start(balancer.port, "/", 8, 600);
        try {
            commitFleet("a", "b", true);
            awaitConverged("a", "b", ROLLOUT);
        } finally {
            System.out.printf("a newer commit (live a) resumed the fleet: converged in %d s; balancer: %s%n",
                    Duration.between(resumed, Instant.now()).toSeconds(), again.stop().line());
        }
    }

    @Test
    @Order(3)
    void aHostKilledWhileHoldingItsSlotLosesItToItsLeaseAndTheNextHostMoves() throws Exception {
        String from = fleet.liveBuild("web1");
        String to = other(from);
        Load load = Load.start(balancer.port, "/", 8, 600);
        Duration slotGone;
        try {
            commitFleet(to, from, true);
            await().atMost(ROLLOUT).pollInterval(Duration.ofMillis(100)).until(() -> fleet.liveBuild("web1").equals(to)
                    && fleet.slots().orElse(List.of()).stream().anyMatch(s -> s.endsWith("/web1")));
            Instant killed = Instant.now();
            fleet.kill("web1");
            await().atMost(SLOT_TTL.multipliedBy(4)).pollInterval(Duration.ofMillis(50)).until(() -> fleet.slots()
                    .map(slots -> slots.stream().noneMatch(s -> s.endsWith("/web1"))).orElse(false));
            slotGone = Duration.between(killed, Instant.now());
            await().atMost(ROLLOUT).until(() -> fleet.liveBuild("web2").equals(to) && fleet.liveBuild("web3").equals(to));
            fleet.startLoop("web1");
            awaitConverged(to, from, ROLLOUT);
        } finally {
            System.out.println("balancer while web1 was killed and restarted: " + load.stop().line());
        }
        System.out.printf("web1 killed holding its slot: the slot key was gone %d ms later (slotTtl %d ms)%n",
                slotGone.toMillis(), SLOT_TTL.toMillis());
        // The figure above is the measurement (slotTtl + 1 s is the goal); the bound only catches a slot that
        // outlives its lease, with room for etcd's lease checks on a loaded machine.
        assertThat(slotGone).as("the slot outlives its holder by less than slotTtl + 3 s")
                .isLessThanOrEqualTo(SLOT_TTL.plusSeconds(3));
    }

    @Test
    @Order(4)
    void withOneEtcdMemberDownARolloutCompletesWithTwoDownNoHostMovesAndItFinishesOnceTheyAreBack() throws Exception {
        String first = fleet.liveBuild("web1");
        String second = other(first);
        etcd.stop(0);
        Instant committed = Instant.now();
        Load load = Load.start(balancer.port, "/", 8, 600);
        try {
            commitFleet(second, first, true);
            awaitConverged(second, first, ROLLOUT);
        } finally {
            System.out.printf("one etcd member of 3 down: rollout to %s in %d s; balancer: %s%n", second,
                    Duration.between(committed, Instant.now()).toSeconds(), load.stop().line());
        }

        etcd.stop(1);
        Load.Result result;
        Load unavailable = Load.start(balancer.port, "/", 8, 600);
        var logs = fleet.logSizes();
        try {
            commitFleet(first, second, true);
            await().atMost(Duration.ofMinutes(4)).until(() -> FleetStacks.HOSTS.stream().allMatch(h -> fleet
                    .logSince(h, logs.get(h)).contains("live stays at " + second + ", not build " + first
                            + ": the fleet store is unavailable")));
            await().during(Duration.ofSeconds(10)).atMost(Duration.ofSeconds(30))
                    .until(() -> FleetStacks.HOSTS.stream().allMatch(h -> fleet.liveBuild(h).equals(second)));
        } finally {
            result = unavailable.stop();
        }
        System.out.println("two etcd members of 3 down: no host moved live; balancer: " + result.line()
                + "; /api/status of web1 shows FleetUnavailable: " + fleet.status("web1").contains("FleetUnavailable"));
        assertThat(result.failed()).as(result.line()).isZero();

        Instant restarted = Instant.now();
        etcd.start(0);
        etcd.start(1);
        awaitConverged(first, second, ROLLOUT);
        System.out.printf("members back: rollout to " + first + " finished %d s later%n", Duration.between(restarted, Instant.now()).toSeconds());
    }

    @Test
    @Order(5)
    void aBuildsMigrationRunsOnceForTheFleetOnOneHostAndTheOthersAdoptIt() throws Exception {
        String stage = fleet.liveBuild("web1");
        dRef = fleet.commit("pages: a migration that records each run of it",
                Map.of("examples/app/pages/migrations/0002_run_log.py", RUN_LOG_MIGRATION));
        var logs = fleet.logSizes();
        Load load = Load.start(balancer.port, "/", 8, 600);
        Instant committed = Instant.now();
        Load.Result result;
        try {
            commitFleet("d", stage, "    d: {ref: " + dRef + "}\n");
            awaitConverged("d", stage, ROLLOUT);
        } finally {
            result = load.stop();
        }
        Map<String, List<String>> migrated = new java.util.TreeMap<>();
        Map<String, List<String>> adopted = new java.util.TreeMap<>();
        for (String host : FleetStacks.HOSTS) {
            List<String> lines = fleet.logSince(host, logs.get(host)).lines().toList();
            migrated.put(host, lines.stream().filter(l -> l.contains("action=Migrate build=d outcome=done")).toList());
            adopted.put(host, lines.stream().filter(l -> l.contains("action=AdoptMigration build=d outcome=done")).toList());
        }
        String runs = fleet.psql("SELECT count(*) || ' by ' || string_agg(ran_by, ',') FROM pages_run_log");
        String applied = fleet.psql("SELECT count(*) FROM django_migrations WHERE app = 'pages' AND name = '0002_run_log'");
        System.out.printf("rollout of d (a new migration) in %d s; balancer: %s%nmigrated: %s%nadopted: %s%n"
                        + "runs of the migration in the fleet's database: %s; django_migrations rows of pages.0002_run_log: %s%n",
                Duration.between(committed, Instant.now()).toSeconds(), result.line(), migrated, adopted, runs, applied);
        assertThat(result.failed()).as(result.line()).isZero();
        assertThat(migrated.values().stream().mapToInt(List::size).sum()).as("hosts that ran d's migrations: " + migrated).isEqualTo(1);
        String leader = migrated.entrySet().stream().filter(e -> !e.getValue().isEmpty()).map(Map.Entry::getKey).findFirst().orElseThrow();
        FleetStacks.HOSTS.stream().filter(h -> !h.equals(leader)).forEach(host -> assertThat(adopted.get(host))
                .as(host + " adopts the leader's migration").singleElement().asString().contains("migrated by " + leader));
        String leadersWeb = fleet.webContainer(leader);
        assertThat(runs).as("one run, in the leader's web container").isEqualTo("1 by " + leadersWeb);
        assertThat(applied).isEqualTo("1");
    }

    @Test
    @Order(6)
    void onTheSharedDatabaseTheContractStepRunsOnceOnTheMigratingHostAfterEveryHostLeftTheOldBuilds() throws Exception {
        String leader = FleetStacks.HOSTS.stream().filter(host -> fleet.logSince(host, 0)
                .contains("action=Migrate build=d outcome=done")).findFirst().orElseThrow();
        var logs = fleet.logSizes();
        Load load = Load.start(balancer.port, "/", 8, 600);
        Instant committed = Instant.now();
        Load.Result result;
        try {
            fleet.commit("fleet: stage e (d's code), and a contract step", Map.of("desired-state.yaml",
                    fleetFile(buildsWithD() + "    e: {ref: " + dRef + "}\n", "d", "e", ANALYSIS + CONTRACT_STEP)));
            await().atMost(ROLLOUT).pollInterval(Duration.ofMillis(500)).until(() -> contractRuns().equals("1"));
            await().during(Duration.ofSeconds(10)).atMost(Duration.ofSeconds(30)).until(() -> contractRuns().equals("1"));
        } finally {
            result = load.stop();
        }
        Map<String, List<String>> ran = new java.util.TreeMap<>();
        Map<String, java.time.LocalTime> stageMoved = new java.util.TreeMap<>();
        for (String host : FleetStacks.HOSTS) {
            List<String> lines = fleet.logSince(host, logs.get(host)).lines().toList();
            ran.put(host, lines.stream().filter(l -> l.contains("action=PostMigrate build=d")).toList());
            lines.stream().filter(l -> l.contains("action=PointStage build=e outcome=done")).findFirst()
                    .ifPresent(l -> stageMoved.put(host, loggedAt(l)));
        }
        String by = fleet.psql("SELECT string_agg(ran_by, ',') FROM pages_run_log WHERE ran_by LIKE 'contract-%'");
        System.out.printf("contract step of d (migrated by %s): ran within %d s of the commit, by %s; log lines: %s; balancer: %s%n",
                leader, Duration.between(committed, Instant.now()).toSeconds(), by, ran, result.line());
        assertThat(result.failed()).as(result.line()).isZero();
        String leadersWeb = fleet.webContainer(leader);
        assertThat(by).as("one run, in the web container of the host that migrated d").isEqualTo("contract-" + leadersWeb);
        FleetStacks.HOSTS.forEach(host -> assertThat(ran.get(host)).as(host + "'s contract steps")
                .hasSize(host.equals(leader) ? 1 : 0));
        java.time.LocalTime contractAt = loggedAt(ran.get(leader).get(0));
        System.out.println("stage moved to e at " + stageMoved + "; the contract step ran at " + contractAt);
        assertThat(stageMoved).as("every host moved stage off the old build").containsOnlyKeys(FleetStacks.HOSTS);
        stageMoved.forEach((host, at) -> assertThat(at).as(host + " left the old build before the contract step")
                .isBefore(contractAt));
    }

    /** The time of day a host's log line starts with (HH:mm:ss.SSS). */
    private static java.time.LocalTime loggedAt(String line) {
        return java.time.LocalTime.parse(line.substring(0, 12));
    }

    private static String buildsWithD() {
        return "    a: {ref: " + goodRef + "}\n    b: {ref: " + goodRef + "}\n    d: {ref: " + dRef + "}\n";
    }

    private static String contractRuns() {
        return fleet.psql("SELECT count(*) FROM pages_run_log WHERE ran_by LIKE 'contract-%'");
    }

    /** Commits the fleet file with builds a, b (and the bad build c) and this live and stage; returns the commit. */
    private static String commitFleet(String live, String stage, boolean withBad) {
        return commitFleet(live, stage, withBad ? "    c: {ref: " + badRef + "}\n" : "");
    }

    /** Commits the fleet file with builds a, b and the lines of {@code moreBuilds}, and this live and stage; returns the commit. */
    private static String commitFleet(String live, String stage, String moreBuilds) {
        String builds = "    a: {ref: " + goodRef + "}\n    b: {ref: " + goodRef + "}\n" + moreBuilds;
        return fleet.commit("fleet: live " + live + ", stage " + stage, Map.of("desired-state.yaml", fleetFile(builds, live, stage)));
    }

    static String fleetFile(String builds, String live, String stage) {
        return fleetFile(builds, live, stage, ANALYSIS);
    }

    /** {@code specLines}: the lines under spec.promotion, and any spec fields after them. */
    static String fleetFile(String builds, String live, String stage, String specLines) {
        return """
                apiVersion: regent/v1
                kind: Fleet
                metadata:
                  name: %s
                spec:
                  source: {repo: ., path: examples/app}
                  builds:
                %s  live: %s
                  stage: %s
                  promotion:
                %s  fleet:
                    hosts:
                      - name: web1
                      - name: web2
                      - name: web3
                    rollout: {maxParallel: 1, order: [web1, web2, web3], onFailure: halt, slotTtl: %ds}
                """.formatted(FleetStacks.FLEET, builds, live, stage, specLines, SLOT_TTL.toSeconds());
    }

    /** Every host serves live and stage as asked and has published CONVERGED; fails early if a `regent run` exited. */
    private static void awaitConverged(String live, String stage, Duration bound) {
        await().atMost(bound).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            for (String host : FleetStacks.HOSTS) {
                assertThat(fleet.running(host)).as("regent run of %s exited:\n%s", host, fleet.logTail(host)).isTrue();
                Stack stack = fleet.stack(host);
                assertThat(stack.servedBy(stack.livePort)).as(host + " live").isEqualTo(live);
                assertThat(stack.servedBy(stack.stagePort)).as(host + " stage").isEqualTo(stage);
                assertThat(fleet.records().map(r -> r.get(host)).map(r -> r.path("state").asText()).orElse(""))
                        .as(host + " record").isEqualTo("CONVERGED");
            }
        });
    }

    private static String other(String build) {
        return build.equals("a") ? "b" : "a";
    }

    private static boolean sameRevision(JsonNode halt, String commit) {
        return halt.path("revision").asText().contains(commit.substring(0, 12));
    }
}
