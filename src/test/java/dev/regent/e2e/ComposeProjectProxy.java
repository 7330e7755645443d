package dev.regent.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The Docker engine as one host of a fleet sees it on its own machine: a plain-HTTP proxy on
 * 127.0.0.1 to /var/run/docker.sock (for DOCKER_HOST=tcp://...) that turns the label filter on
 * the fleet's compose project (every host's desired state is named after the fleet) into one on
 * this stack's own compose project. Three hosts of one fleet then share one engine without
 * sharing containers. Bytes other than that filter pass unchanged, in both directions, so exec
 * streams (hijacked connections) work as they do on the socket.
 */
final class ComposeProjectProxy implements AutoCloseable {
    private static final Path SOCKET = Path.of("/var/run/docker.sock");
    private final ServerSocket server;
    private final List<byte[][]> replacements;
    private final Thread acceptor;

    private ComposeProjectProxy(String fleet, String project) throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        var pairs = new java.util.ArrayList<byte[][]>();
        for (String equals : List.of("=", "%3D", "%3d")) {
            for (String quote : List.of("\"", "%22")) {
                pairs.add(pair("project" + equals + fleet + quote, "project" + equals + project + quote));
            }
        }
        replacements = List.copyOf(pairs);
        acceptor = new Thread(this::accept, "docker-proxy-" + project);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    static ComposeProjectProxy start(String fleet, String project) throws IOException {
        return new ComposeProjectProxy(fleet, project);
    }

    /** The value of DOCKER_HOST that reaches the engine through this proxy. */
    String dockerHost() {
        return "tcp://127.0.0.1:" + server.getLocalPort();
    }

    private static byte[][] pair(String from, String to) {
        return new byte[][] {from.getBytes(StandardCharsets.US_ASCII), to.getBytes(StandardCharsets.US_ASCII)};
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                SocketChannel engine = SocketChannel.open(UnixDomainSocketAddress.of(SOCKET));
                pump(client.getInputStream(), output(engine), true, () -> engine.shutdownOutput());
                pump(input(engine), client.getOutputStream(), false, () -> {
                    client.close();
                    engine.close();
                });
            } catch (IOException e) {
                // Closed, or the engine refused one connection: the client sees its connection fail.
            }
        }
    }

    // Channels.newInputStream/newOutputStream of one blocking channel share its blocking lock, so a
    // read waiting for the engine would block the next request's write: read and write the channel itself.
    private static InputStream input(SocketChannel channel) {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] bytes, int offset, int length) throws IOException {
                return channel.read(ByteBuffer.wrap(bytes, offset, length));
            }
        };
    }

    private static OutputStream output(SocketChannel channel) {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) throws IOException {
                ByteBuffer buffer = ByteBuffer.wrap(bytes, offset, length);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
            }
        };
    }

    private interface Ending {
        void run() throws IOException;
    }

    private void pump(InputStream in, OutputStream out, boolean rewrite, Ending end) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[65536];
            byte[] held = new byte[0];
            try {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    if (!rewrite) {
                        out.write(buffer, 0, n);
                    } else {
                        byte[] text = replaced(concat(held, Arrays.copyOf(buffer, n)));
                        int keep = heldPrefix(text);
                        out.write(text, 0, text.length - keep);
                        held = Arrays.copyOfRange(text, text.length - keep, text.length);
                    }
                    out.flush();
                }
                out.write(held);
                out.flush();
            } catch (IOException e) {
                // One side closed: the other is closed below.
            } finally {
                try {
                    end.run();
                } catch (IOException e) {
                    // Already closed.
                }
            }
        }, "docker-proxy-pump");
        thread.setDaemon(true);
        thread.start();
    }

    private byte[] replaced(byte[] text) {
        for (byte[][] pair : replacements) {
            text = replaceAll(text, pair[0], pair[1]);
        }
        return text;
    }

    /**
     * How many bytes at the end could be the start of a filter split across two reads: only those
     * are held back, so a request that ends otherwise (every request does) is never delayed.
     */
    private int heldPrefix(byte[] text) {
        int keep = 0;
        for (byte[][] pair : replacements) {
            byte[] from = pair[0];
            for (int length = Math.min(from.length - 1, text.length); length > keep; length--) {
                if (Arrays.equals(text, text.length - length, text.length, from, 0, length)) {
                    keep = length;
                    break;
                }
            }
        }
        return keep;
    }

    private static byte[] replaceAll(byte[] text, byte[] from, byte[] to) {
        var out = new java.io.ByteArrayOutputStream(text.length);
        int i = 0;
        while (i < text.length) {
            if (i + from.length <= text.length && Arrays.equals(text, i, i + from.length, from, 0, from.length)) {
                out.write(to, 0, to.length);
                i += from.length;
            } else {
                out.write(text[i++]);
            }
        }
        return out.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
