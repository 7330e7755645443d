package dev.regent.uwsgi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Reads a uWSGI stats socket (the server writes one JSON document and closes). Reading needs no
 * docker exec because the sockets live on the shared bind mount. A socket file whose server is
 * gone refuses the connection: that reads as empty, the same as no file.
 */
public final class StatsReader {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_BYTES = 4 * 1024 * 1024;
    private final Duration timeout;

    public StatsReader(Duration timeout) {
        this.timeout = timeout;
    }

    public Optional<UwsgiStats> read(Path socket) {
        if (!Files.exists(socket)) {
            return Optional.empty();
        }
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
             Selector selector = Selector.open()) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            channel.configureBlocking(false);
            channel.register(selector, SelectionKey.OP_READ);
            var out = new ByteArrayOutputStream();
            ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0 || selector.select(left) == 0 && System.nanoTime() >= deadline) {
                    return Optional.empty();
                }
                selector.selectedKeys().clear();
                int read;
                while ((read = channel.read(buffer)) > 0) {
                    out.write(buffer.array(), 0, read);
                    buffer.clear();
                    if (out.size() > MAX_BYTES) {
                        return Optional.empty();
                    }
                }
                if (read < 0) {
                    break;
                }
            }
            return Optional.of(UwsgiStats.from(JSON.readTree(out.toByteArray())));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The parts of a stats document Regent uses. */
    public record UwsgiStats(int pid, int workers, int accepting, long requests, JsonNode raw) {
        static UwsgiStats from(JsonNode node) {
            int workers = 0;
            int accepting = 0;
            long requests = 0;
            for (JsonNode worker : node.path("workers")) {
                workers++;
                if (worker.path("accepting").asInt() == 1) {
                    accepting++;
                }
                requests += worker.path("requests").asLong();
            }
            return new UwsgiStats(node.path("pid").asInt(), workers, accepting, requests, node);
        }

        public boolean allAccepting() {
            return workers > 0 && accepting == workers;
        }
    }
}
