package dev.regent.observe;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/** A uWSGI-like stats server on a UNIX socket: each connection gets one JSON document, then is closed. */
public final class StatsServer implements AutoCloseable {
    private final ServerSocketChannel server;
    private final Thread thread;
    private final AtomicInteger served = new AtomicInteger();

    private StatsServer(ServerSocketChannel server, String json) {
        this.server = server;
        this.thread = new Thread(() -> serve(json), "stats-server");
        this.thread.setDaemon(true);
    }

    public static StatsServer start(Path socket, String json) throws IOException {
        ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        channel.bind(UnixDomainSocketAddress.of(socket));
        StatsServer server = new StatsServer(channel, json);
        server.thread.start();
        return server;
    }

    /** A bound socket that accepts nothing: connections queue in the backlog and never get an answer. */
    static ServerSocketChannel silent(Path socket) throws IOException {
        ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        channel.bind(UnixDomainSocketAddress.of(socket));
        return channel;
    }

    public static String stats(int pid, int... acceptingPerWorker) {
        StringBuilder workers = new StringBuilder();
        for (int i = 0; i < acceptingPerWorker.length; i++) {
            if (i > 0) {
                workers.append(',');
            }
            workers.append("{\"id\":").append(i + 1).append(",\"pid\":").append(pid + i + 1)
                    .append(",\"accepting\":").append(acceptingPerWorker[i])
                    .append(",\"requests\":").append(5 * (i + 1)).append(",\"status\":\"idle\"}");
        }
        return "{\"version\":\"2.0.26\",\"pid\":" + pid + ",\"uid\":1000,\"workers\":[" + workers + "]}";
    }

    int served() {
        return served.get();
    }

    private void serve(String json) {
        while (server.isOpen()) {
            try (SocketChannel client = server.accept()) {
                ByteBuffer bytes = ByteBuffer.wrap(json.getBytes(StandardCharsets.UTF_8));
                while (bytes.hasRemaining()) {
                    client.write(bytes);
                }
                served.incrementAndGet();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (!server.isOpen()) {
                    return;
                }
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
