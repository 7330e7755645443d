package dev.regent.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The feed on a real folder, with a rotation that does what nginx's does: rename, then a new file. */
class TrafficFeedTest {
    @TempDir
    Path root;

    @Test
    void handsEachLoggedRequestToEverySinkAndRotatesPastTheBound() throws IOException {
        Path log = root.resolve("deploy/run/traffic/access.log");
        var seen = new ArrayList<LoggedRequest>();
        var builds = new ArrayList<String>();
        var rotations = new ArrayList<Integer>();
        LogRotation rotation = () -> {
            try {
                Files.move(log, log.resolveSibling("access.log.1"), StandardCopyOption.REPLACE_EXISTING);
                rotations.add(rotations.size() + 1);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
        try (var feed = new TrafficFeed(log, 1024, 120, rotation, List.of(seen::add, r -> builds.add(r.build())))) {
            assertThat(feed.tick()).as("no log yet").isZero();
            assertThat(log.getParent()).as("the folder nginx -t needs").isDirectory();

            append(log, "1764337200.001 200 0.004 8080 a\nnot a request\n1764337200.002 500 0.010 8080 b\n");
            assertThat(feed.tick()).isEqualTo(2);
            assertThat(seen).extracting(LoggedRequest::status).containsExactly(200, 500);
            assertThat(builds).containsExactly("a", "b");
            assertThat(rotations).as("78 bytes: under the bound").isEmpty();

            append(log, "1764337200.003 200 0.004 8080 a\n");
            feed.tick();
            assertThat(rotations).as("110 bytes: still not past it").isEmpty();

            append(log, "1764337200.004 404 0.004 8080 a\n");
            feed.tick();
            assertThat(rotations).containsExactly(1);
            assertThat(log).doesNotExist();
            append(log.resolveSibling("access.log.1"), "1764337200.005 200 0.004 8080 a\n");
            append(log, "1764337200.006 200 0.004 8080 c\n");

            assertThat(feed.tick()).isEqualTo(2);
            assertThat(builds).containsExactly("a", "b", "a", "a", "a", "c");
            assertThat(rotations).containsExactly(1);
        }
    }

    static void append(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
