package dev.regent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.regent.fleet.Coordinator;
import dev.regent.fleet.Halt;
import dev.regent.fleet.HostRecord;
import dev.regent.fleet.etcd.EtcdCluster;
import dev.regent.fleet.etcd.EtcdCoordinator;
import dev.regent.fs.HostFiles;
import dev.regent.testing.LoopbackPorts;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** regent fleet status against a real etcd: hosts' records, the slot of their revision, a halt, a store that does not answer. */
class FleetStatusCommandTest {
    private static final String REVISION = "4f2a9c1e77d0b3a5c6e8f9012345678901234567";
    private static final Duration TTL = Duration.ofSeconds(5);
    private static EtcdCluster etcd;
    private static int fleets;
    private final List<Coordinator> hosts = new ArrayList<>();

    @TempDir
    Path dir;

    @BeforeAll
    static void startEtcd() {
        etcd = EtcdCluster.ofMembers(1);
    }

    @AfterAll
    static void stopEtcd() {
        if (etcd != null) {
            etcd.close();
        }
    }

    @AfterEach
    void closeHosts() {
        hosts.forEach(Coordinator::close);
    }

    private record Run(int exit, String out, String err) {
    }

    private static String fleetFile(String name) {
        return """
                apiVersion: regent/v1
                kind: Fleet
                metadata: {name: %s}
                spec:
                  source: {repo: ., path: app}
                  builds: {a: {ref: HEAD}, b: {ref: HEAD}}
                  live: b
                  stage: a
                  fleet:
                    hosts:
                      - name: web1
                      - name: web2
                      - name: web3
                    rollout: {maxParallel: 1, order: [web1, web2, web3]}
                """.formatted(name);
    }

    private Run status(String fileText, String... args) throws IOException {
        Path file = Files.writeString(dir.resolve("desired-state.yaml"), fileText);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> all = new ArrayList<>(List.of("status", "--host=", "-f", file.toString()));
        all.addAll(List.of(args));
        int exit = new CommandLine(new FleetCommand()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                .execute(all.toArray(String[]::new));
        return new Run(exit, out.toString(), err.toString());
    }

    private static String endpoints() {
        return String.join(",", etcd.endpoints().stream().map(URI::toString).toList());
    }

    private Coordinator host(String fleet, String name, HostRecord.State state, String message) throws Exception {
        Coordinator host = EtcdCoordinator.connect(etcd.endpoints(), fleet, name, TTL);
        hosts.add(host);
        host.publish(new HostRecord(name, REVISION, Optional.of("b"), Optional.of("a"), state, message, Instant.now()));
        return host;
    }

    @Test
    void showsTheRecordsTheSlotAndTheHaltAndExitsOneOnTheHalt() throws Exception {
        String fleet = "shop" + ++fleets;
        Coordinator web1 = host(fleet, "web1", HostRecord.State.FAILED, "checks after the move failed");
        Coordinator web2 = host(fleet, "web2", HostRecord.State.MOVING, "will swap live to b");
        web1.halt(new Halt(REVISION, "web1", "smoke check /healthz answered 500", Instant.parse("2026-12-06T10:00:00Z")));
        web1.release(REVISION);
        assertThat(web2.queue(REVISION, 1)).isTrue();

        Run run = status(fleetFile(fleet), "--etcd", endpoints());

        assertThat(run.exit()).as(run.err()).isEqualTo(1);
        List<String> lines = run.out().lines().toList();
        assertThat(lines.get(0)).isEqualTo("fleet " + fleet + ": 3 hosts, 2 with a record, maxParallel 1");
        assertThat(lines.get(2)).matches("web1 +FAILED +4f2a9c1e77d0 +b +a +\\d+s +checks after the move failed");
        assertThat(lines.get(3)).matches("web2 +MOVING +4f2a9c1e77d0 +b +a +\\d+s +will swap live to b");
        assertThat(lines.get(4)).isEqualTo("web3       no record (down or not started)");
        assertThat(lines.subList(5, lines.size())).containsExactly(
                "revision 4f2a9c1e77d0 (applied by web1, web2): slot held by web2",
                "  HALTED by web1 at 2026-12-06T10:00:00Z: smoke check /healthz answered 500");
    }

    @Test
    void jsonCarriesTheSameReportAndARolloutWithoutHaltExitsZero() throws Exception {
        String fleet = "shop" + ++fleets;
        host(fleet, "web2", HostRecord.State.WAITING, "waits for web1 to move live first");

        Run run = status(fleetFile(fleet), "--etcd", endpoints(), "-o", "json");

        assertThat(run.exit()).as(run.err()).isZero();
        JsonNode json = HostFiles.JSON.readTree(run.out());
        assertThat(json.path("hosts")).extracting(h -> h.path("host").asText()).containsExactly("web1", "web2", "web3");
        assertThat(json.path("hosts").get(0).path("record").isNull()).isTrue();
        assertThat(json.path("hosts").get(1).path("record").path("state").asText()).isEqualTo("WAITING");
        assertThat(json.path("rollouts").get(0).path("revision").asText()).isEqualTo(REVISION);
        assertThat(json.path("rollouts").get(0).path("halt").isNull()).isTrue();
    }

    @Test
    void aStoreThatDoesNotAnswerExitsFourAndSaysWhere() throws Exception {
        int closedPort = LoopbackPorts.reserve();
        String nowhere = "http://127.0.0.1:" + closedPort;

        Run run = status(fleetFile("shop"), "--etcd", nowhere);

        assertThat(run.exit()).isEqualTo(FleetCommand.EXIT_STORE_UNAVAILABLE).isEqualTo(4);
        assertThat(run.err()).startsWith("etcd at " + nowhere + " did not answer: ");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void withoutEndpointsOrWithAHostFileItIsAUsageError() throws Exception {
        Run noEndpoints = status(fleetFile("shop"), "--etcd=");
        Run hostFile = status(fleetFile("shop").replace("kind: Fleet", "kind: Host").replaceAll("(?s)  fleet:.*", ""),
                "--etcd", endpoints());

        assertThat(noEndpoints.exit()).isEqualTo(2);
        assertThat(noEndpoints.err()).contains("--etcd URL[,URL...]");
        assertThat(hostFile.exit()).isEqualTo(2);
        assertThat(hostFile.err()).contains("is not a fleet file (kind: Fleet)");
    }
}
