package dev.regent.spec;

import static dev.regent.spec.Fixtures.errorsOf;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A fleet file is applied by one of its hosts, named; a host file by the host it is on, unnamed. */
class FleetHostSelectionTest {
    private static final String FLEET = FleetSpecTest.HEADER + """
                hosts:
                  - name: web1
                  - {name: web2, paused: true}
                  - name: web3
            """;
    private static final String HOST = FLEET.replace("kind: Fleet", "kind: Host").replaceAll("(?s)  fleet:.*", "");

    @TempDir
    Path dir;

    private Path write(String text) throws IOException {
        return Files.writeString(dir.resolve("desired-state.yaml"), text);
    }

    private static List<String> rejections(LoadResult result) {
        return errorsOf(result).stream().map(SpecError::toString).toList();
    }

    @Test
    void aHostOfTheFleetGetsTheWholeStatePausedOrNot() throws IOException {
        Path file = write(FLEET);

        for (String host : List.of("web1", "web2")) {
            LoadResult result = SpecLoader.load(file, Optional.of(host));

            assertThat(result).as(host).isInstanceOf(LoadResult.Valid.class);
            DesiredState state = ((LoadResult.Valid) result).state();
            assertThat(state.live()).contains("a");
            assertThat(state.fleet().orElseThrow().hosts().get(1).paused()).isTrue();
        }
    }

    @Test
    void aHostOutsideTheFleetIsRefusedAtTheHostsLine() throws IOException {
        Path file = write(FLEET);

        assertThat(rejections(SpecLoader.load(file, Optional.of("web9")))).containsExactly(file + ":9:1: spec.fleet.hosts:"
                + " web9 is not a host of fleet shop (hosts: web1, web2, web3); pass --host with one of them");
    }

    @Test
    void aFleetFileWithoutAHostIsRefusedForApplying() throws IOException {
        Path file = write(FLEET);
        String expected = file + ":2:1: kind: this is a fleet file: pass --host NAME (or set REGENT_HOST) with the host"
                + " of fleet shop this Regent acts for (hosts: web1, web2, web3)";

        assertThat(rejections(SpecLoader.load(file, Optional.empty()))).containsExactly(expected);
        assertThat(rejections(SpecLoader.load(file))).containsExactly(expected);
        assertThat(rejections(SpecLoader.parse(file, FLEET))).containsExactly(expected);
    }

    @Test
    void theWholeFileLoadsWithoutAHost() throws IOException {
        Path file = write(FLEET);

        assertThat(SpecLoader.loadWholeFile(file)).isInstanceOf(LoadResult.Valid.class);
        assertThat(SpecLoader.parseWholeFile(file, FLEET)).isInstanceOf(LoadResult.Valid.class);
    }

    @Test
    void aHostFileRefusesAHostName() throws IOException {
        Path file = write(HOST);

        assertThat(rejections(SpecLoader.load(file, Optional.of("web1")))).containsExactly(file + ":2:1: kind: --host is"
                + " for fleet files (kind: Fleet); this file is kind: Host and drives the host it is on, so leave out"
                + " --host (and REGENT_HOST)");
        assertThat(SpecLoader.load(file, Optional.empty())).isInstanceOf(LoadResult.Valid.class);
        assertThat(SpecLoader.load(file)).isInstanceOf(LoadResult.Valid.class);
    }

    @Test
    void parsingTextSelectsTheHostAsLoadingAFileDoes() {
        Path label = Path.of("desired-state.yaml@0123456789ab");

        assertThat(SpecLoader.parse(label, FLEET, Optional.of("web3"))).isInstanceOf(LoadResult.Valid.class);
        assertThat(rejections(SpecLoader.parse(label, FLEET, Optional.of("web4")))).singleElement().asString()
                .startsWith(label + ":9:1: spec.fleet.hosts: web4 is not a host of fleet shop");
        assertThat(rejections(SpecLoader.parse(label, HOST, Optional.of("web1")))).singleElement().asString()
                .contains("--host is for fleet files");
    }

    @Test
    void anInvalidFileReportsItsOwnErrorsWhicheverHostIsNamed() throws IOException {
        Path file = write(FLEET.replace("- name: web3", "- name: web3\n      - name: web3"));

        assertThat(rejections(SpecLoader.load(file, Optional.of("web9")))).containsExactly(file
                + ":13:15: spec.fleet.hosts[3].name: host web3 is listed twice (first at line 12)");
    }
}
