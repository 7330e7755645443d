package dev.regent.observe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.regent.uwsgi.StatsReader;
import dev.regent.uwsgi.StatsReader.UwsgiStats;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** StatsReader against real UNIX sockets in a temp folder. */
class StatsReaderSocketTest {
    @TempDir
    Path tmp;

    private final StatsReader reader = new StatsReader(Duration.ofSeconds(2));

    @Test
    void readsTheDocumentAServerWritesBeforeClosing() throws IOException {
        Path socket = tmp.resolve("a-pool.stats");
        try (StatsServer server = StatsServer.start(socket, StatsServer.stats(42, 1, 1, 0))) {
            Optional<UwsgiStats> stats = reader.read(socket);

            assertThat(stats).hasValueSatisfying(s -> {
                assertThat(s.pid()).isEqualTo(42);
                assertThat(s.workers()).isEqualTo(3);
                assertThat(s.accepting()).isEqualTo(2);
                assertThat(s.requests()).isEqualTo(5 + 10 + 15);
                assertThat(s.allAccepting()).isFalse();
                assertThat(s.raw().path("workers").get(0).path("pid").asInt()).isEqualTo(43);
                assertThat(s.raw().path("workers").get(0).path("status").asText()).isEqualTo("idle");
            });
            assertThat(server.served()).isEqualTo(1);
        }
    }

    @Test
    void allAcceptingNeedsEveryWorkerAndAtLeastOne() throws IOException {
        Path all = tmp.resolve("all.stats");
        Path none = tmp.resolve("none.stats");
        try (StatsServer s1 = StatsServer.start(all, StatsServer.stats(7, 1, 1));
             StatsServer s2 = StatsServer.start(none, StatsServer.stats(8))) {
            assertThat(reader.read(all)).hasValueSatisfying(s -> assertThat(s.allAccepting()).isTrue());
            assertThat(reader.read(none)).hasValueSatisfying(s -> {
                assertThat(s.workers()).isZero();
                assertThat(s.allAccepting()).isFalse();
            });
        }
    }

    @Test
    void aLargeDocumentIsReadWhole() throws IOException {
        Path socket = tmp.resolve("big.stats");
        int[] workers = new int[2000];
        java.util.Arrays.fill(workers, 1);
        try (StatsServer server = StatsServer.start(socket, StatsServer.stats(9, workers))) {
            assertThat(reader.read(socket)).hasValueSatisfying(s -> {
                assertThat(s.workers()).isEqualTo(2000);
                assertThat(s.allAccepting()).isTrue();
            });
        }
    }

    @Test
    void aStaleSocketFileWithNoServerReadsAsEmpty() throws IOException {
        Path socket = tmp.resolve("dead.stats");
        ServerSocketChannel gone = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        gone.bind(UnixDomainSocketAddress.of(socket));
        gone.close();
        assertThat(socket).as("the socket file outlives its server").exists();

        assertThat(reader.read(socket)).isEmpty();
    }

    @Test
    void noFileReadsAsEmpty() {
        assertThat(reader.read(tmp.resolve("missing.stats"))).isEmpty();
    }

    @Test
    void aPlainFileReadsAsEmpty() throws IOException {
        Path file = Files.writeString(tmp.resolve("plain.stats"), StatsServer.stats(1, 1));
        assertThat(reader.read(file)).isEmpty();
    }

    @Test
    void garbageReadsAsEmpty() throws IOException {
        Path socket = tmp.resolve("garbage.stats");
        try (StatsServer server = StatsServer.start(socket, "{\"pid\": 4")) {
            assertThat(reader.read(socket)).isEmpty();
        }
    }

    @Test
    void aServerThatNeverAnswersReadsAsEmptyAfterTheTimeout() throws IOException {
        Path socket = tmp.resolve("silent.stats");
        StatsReader quick = new StatsReader(Duration.ofMillis(300));
        try (ServerSocketChannel silent = StatsServer.silent(socket)) {
            long start = System.nanoTime();
            Optional<UwsgiStats> stats = quick.read(socket);
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(stats).isEmpty();
            assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(250)).isLessThan(Duration.ofSeconds(5));
        }
    }
}
