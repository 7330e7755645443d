package dev.regent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** --host and --etcd: given on the command line or in the environment, and the host passed on to loading. */
class CommonOptionsTest {
    private static final String FLEET = """
            apiVersion: regent/v1
            kind: Fleet
            metadata: {name: shop}
            spec:
              source: {repo: ., path: app}
              builds: {a: {ref: HEAD}}
              live: a
              fleet:
                hosts: [{name: web1}, {name: web2}]
            """;

    @TempDir
    Path dir;

    private static CommonOptions parsed(String... args) {
        CommonOptionsProbe probe = new CommonOptionsProbe();
        new CommandLine(probe).parseArgs(args);
        return probe.options;
    }

    private record Run(int exit, String err) {
    }

    private static Run execute(String... args) {
        StringWriter err = new StringWriter();
        int exit = new CommandLine(new CommonOptionsProbe()).setOut(new PrintWriter(new StringWriter()))
                .setErr(new PrintWriter(err)).execute(args);
        return new Run(exit, err.toString());
    }

    @Test
    void etcdEndpointsAreReadAsUrisInTheirOrder() {
        assertThat(parsed("--etcd", "http://10.0.0.5:2379,https://etcd-b.example:2379,http://[::1]:2379").etcd())
                .containsExactly(URI.create("http://10.0.0.5:2379"), URI.create("https://etcd-b.example:2379"),
                        URI.create("http://[::1]:2379"));
        assertThat(parsed("--etcd", "http://a:2379", "--etcd", "http://b:2379/").etcd())
                .containsExactly(URI.create("http://a:2379"), URI.create("http://b:2379/"));
    }

    @Test
    void aBadEtcdEndpointIsAUsageError() {
        for (String bad : List.of("127.0.0.1:2379", "ftp://10.0.0.5:2379", "http://10.0.0.5:2379/v3/kv",
                "http://root:secret@10.0.0.5:2379", "http://10.0.0.5:2379?x=1", "http://", "http://a:2379,etcd b",
                "http://10.0.0.5:99999")) {
            Run run = execute("--etcd", bad);

            assertThat(run.exit()).as(bad).isEqualTo(2);
            assertThat(run.err()).as(bad).contains("Invalid value for option '--etcd'", "is not an etcd endpoint",
                    "http://127.0.0.1:2379");
        }
    }

    @Test
    void theHostIsPassedToLoading() throws IOException {
        Path file = Files.writeString(dir.resolve("desired-state.yaml"), FLEET);

        assertThat(parsed("-f", file.toString(), "--host", "web2").load(silent())).get()
                .extracting(s -> s.fleet().orElseThrow().hosts().size()).isEqualTo(2);

        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertThat(parsed("-f", file.toString(), "--host", "web9").load(new PrintStream(err, true, StandardCharsets.UTF_8)))
                .isEmpty();
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("desired state rejected, nothing was changed:",
                ":9:1: spec.fleet.hosts: web9 is not a host of fleet shop (hosts: web1, web2); pass --host with one of them");
    }

    @Test
    void aFleetFileWithoutAHostIsRejectedForTheCommandsThatApplyIt() throws IOException {
        Path file = Files.writeString(dir.resolve("desired-state.yaml"), FLEET);
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        assertThat(parsed("-f", file.toString(), "--host=").loadResult(new PrintStream(err, true, StandardCharsets.UTF_8)))
                .isInstanceOf(dev.regent.spec.LoadResult.Invalid.class);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains(":2:1: kind: this is a fleet file: pass --host NAME");
    }

    @Test
    void theEnvironmentGivesTheDefaults() throws Exception {
        assertThat(probe(Map.of("REGENT_HOST", "web2", "REGENT_ETCD_ENDPOINTS", "http://a:2379,http://b:2379")))
                .isEqualTo(new Probe(0, "host=web2 etcd=[http://a:2379, http://b:2379]"));
        assertThat(probe(Map.of("REGENT_HOST", "", "REGENT_ETCD_ENDPOINTS", "")))
                .isEqualTo(new Probe(0, "host=(none) etcd=[]"));
        assertThat(probe(Map.of("REGENT_HOST", "web2", "REGENT_ETCD_ENDPOINTS", "http://a:2379"), "--host", "web1",
                "--etcd", "http://c:2379")).isEqualTo(new Probe(0, "host=web1 etcd=[http://c:2379]"));
        assertThat(probe(Map.of("REGENT_ETCD_ENDPOINTS", "etcd:2379")).exit()).isEqualTo(2);
    }

    private record Probe(int exit, String out) {
    }

    /** The probe in its own JVM, with exactly these REGENT_ variables set. */
    private static Probe probe(Map<String, String> environment, String... args) throws Exception {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        var command = new java.util.ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                CommonOptionsProbe.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().keySet().removeIf(name -> name.startsWith("REGENT_"));
        builder.environment().putAll(environment);
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the probe exits").isTrue();
        return new Probe(process.exitValue(), out);
    }

    private static PrintStream silent() {
        return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    }
}
