package dev.regent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** validate: a fleet file as a whole with its summary, or for one of its hosts; a host file as before. */
class ValidateCommandTest {
    private static final String FLEET = """
            apiVersion: regent/v1
            kind: Fleet
            metadata: {name: shop}
            spec:
              source: {repo: ., path: app}
              builds: {a: {ref: HEAD}, b: {ref: HEAD}}
              live: b
              stage: a
              fleet:
                hosts:
                  - name: web1
                  - {name: web2, paused: true}
                  - {name: web3, drained: true}
                  - {name: web4, paused: true, drained: true}
                rollout: {maxParallel: 2, order: [web3, web1], slotTtl: 2500ms}
            """;
    private static final String HOST = FLEET.replace("kind: Fleet", "kind: Host").replaceAll("(?s)  fleet:.*", "");

    @TempDir
    Path dir;

    private record Run(int exit, String out, String err) {
    }

    private Run validate(String text, String... hostArgs) throws IOException {
        Path file = Files.writeString(dir.resolve("desired-state.yaml"), text);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] args = new String[hostArgs.length + 1];
        System.arraycopy(hostArgs, 0, args, 0, hostArgs.length);
        args[hostArgs.length] = file.toString();
        int exit = new CommandLine(new ValidateCommand()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                .execute(args);
        return new Run(exit, out.toString().replace(file.toString(), "FILE"), err.toString().replace(file.toString(), "FILE"));
    }

    @Test
    void aFleetFileWithoutAHostIsValidatedWholeAndSummarised() throws IOException {
        Run run = validate(FLEET, "--host=");

        assertThat(run.exit()).isZero();
        assertThat(run.out().lines()).containsExactly(
                "FILE: valid for fleet shop (2 builds, live b, stage a)",
                "  hosts: web1, web2 (paused), web3 (drained), web4 (paused, drained)",
                "  rollout: maxParallel 2, order web3, web1, onFailure halt, slotTtl 2500ms");
    }

    @Test
    void theSummaryShowsThePolicysDefaults() throws IOException {
        Run run = validate(FLEET.replaceAll("    rollout: .*\n", ""), "--host=");

        assertThat(run.out().lines()).contains("  rollout: maxParallel 1, order by host name, onFailure halt, slotTtl 5s");
    }

    @Test
    void withAHostTheHostMustBeInTheFleet() throws IOException {
        Run valid = validate(FLEET, "--host", "web2");
        assertThat(valid.exit()).isZero();
        assertThat(valid.out().lines()).first().isEqualTo("FILE: valid for host web2 of fleet shop (2 builds, live b, stage a)");

        Run invalid = validate(FLEET, "--host", "web9");
        assertThat(invalid.exit()).isEqualTo(2);
        assertThat(invalid.out()).isEmpty();
        assertThat(invalid.err().strip()).isEqualTo("FILE:10:1: spec.fleet.hosts: web9 is not a host of fleet shop"
                + " (hosts: web1, web2, web3, web4); pass --host with one of them");
    }

    @Test
    void aHostFileValidatesAsBeforeAndRefusesAHost() throws IOException {
        Run plain = validate(HOST, "--host=");
        assertThat(plain.exit()).isZero();
        assertThat(plain.out().strip()).isEqualTo("FILE: valid (2 builds, live b, stage a)");

        Run withHost = validate(HOST, "--host", "web1");
        assertThat(withHost.exit()).isEqualTo(2);
        assertThat(withHost.err()).startsWith("FILE:2:1: kind: --host is for fleet files");
    }

    @Test
    void aBrokenFleetIsReportedAtItsLines() throws IOException {
        Run run = validate(FLEET.replace("order: [web3, web1]", "order: [web3, web9]"), "--host=");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err().strip()).isEqualTo("FILE:15:45: spec.fleet.rollout.order[1]: web9 is not a host of this fleet"
                + " (hosts: web1, web2, web3, web4)");
    }
}
