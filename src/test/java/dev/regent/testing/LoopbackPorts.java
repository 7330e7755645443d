package dev.regent.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Loopback ports for tests that hand a port to another process (Docker, etcd, a child JVM) to bind later.
 *
 * <p>Ports come from below the kernel's ephemeral range (32768-60999 by default): a port picked with
 * {@code new ServerSocket(0)} is an ephemeral one, and any outgoing connection made before the other
 * process binds it (etcd peers, the Docker proxy, a load generator) may take it as its source port, so
 * the later bind fails with "address already in use". A port is never handed out twice in one JVM,
 * so stacks started side by side cannot pick the same one.
 */
public final class LoopbackPorts {
    private static final int FIRST = 20_000;
    private static final int LAST = 32_000;
    private static final Set<Integer> HANDED_OUT = new HashSet<>();

    private LoopbackPorts() {
    }

    /** A port on 127.0.0.1 that was free a moment ago and that this JVM has not handed out before. */
    public static synchronized int reserve() {
        int span = LAST - FIRST;
        int start = ThreadLocalRandom.current().nextInt(span);
        for (int i = 0; i < span; i++) {
            int port = FIRST + (start + i) % span;
            if (!HANDED_OUT.contains(port) && bindable(port)) {
                HANDED_OUT.add(port);
                return port;
            }
        }
        throw new UncheckedIOException(new IOException("no free loopback port in " + FIRST + "-" + LAST));
    }

    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
