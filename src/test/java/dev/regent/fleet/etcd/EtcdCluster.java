package dev.regent.fleet.etcd;

import dev.regent.testing.LoopbackPorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;

/**
 * A real etcd cluster of N members (Debian's /usr/bin/etcd) on 127.0.0.1, free ports, temporary
 * data dirs, short heartbeat and election timeout so elections take about a second. Members
 * can be stopped and started again on their data (a restarted member rejoins, it is not new).
 * {@link #close()} kills every member and deletes the data; a JVM that exits first kills them too.
 */
public final class EtcdCluster implements AutoCloseable {

    public static final Path ETCD = Path.of("/usr/bin/etcd");
    private static final Duration READY_BOUND = Duration.ofSeconds(60);

    private final Path root;
    private final List<Member> members;
    private final String initialCluster;
    private final Process[] processes;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private final Thread killOnExit = new Thread(this::killAll, "etcd-cluster-kill");

    private record Member(String name, int clientPort, int peerPort) {
        URI clientUrl() {
            return URI.create("http://127.0.0.1:" + clientPort);
        }

        String peerUrl() {
            return "http://127.0.0.1:" + peerPort;
        }
    }

    private EtcdCluster(int size) throws IOException {
        if (!Files.isExecutable(ETCD)) {
            throw new IllegalStateException(ETCD + " is not installed: run bin/setup-host (it installs Debian's etcd-server)");
        }
        root = Files.createTempDirectory("regent-etcd-");
        members = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            members.add(new Member("member" + i, LoopbackPorts.reserve(), LoopbackPorts.reserve()));
        }
        initialCluster = members.stream().map(m -> m.name() + "=" + m.peerUrl()).collect(Collectors.joining(","));
        processes = new Process[size];
        Runtime.getRuntime().addShutdownHook(killOnExit);
    }

    /** Starts size members and waits until each answers healthy (it has a leader and a quorum). */
    public static EtcdCluster ofMembers(int size) {
        EtcdCluster cluster = null;
        try {
            cluster = new EtcdCluster(size);
            for (int i = 0; i < size; i++) {
                cluster.launch(i);
            }
            for (int i = 0; i < size; i++) {
                cluster.awaitHealthy(i);
            }
            return cluster;
        } catch (IOException | RuntimeException e) {
            if (cluster != null) {
                cluster.close();
            }
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
    }

    public int size() {
        return members.size();
    }

    /** The client URLs of every member, running or not. */
    public List<URI> endpoints() {
        return members.stream().map(Member::clientUrl).toList();
    }

    /** Stops member i with SIGTERM (SIGKILL if it has not ended after 10 s). */
    public void stop(int i) {
        Process process = processes[i];
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        processes[i] = null;
    }

    /** Starts member i again on its data dir and waits until it is healthy (needs a quorum running). */
    public void start(int i) {
        if (processes[i] == null) {
            launch(i);
        }
        awaitHealthy(i);
    }

    public boolean running(int i) {
        return processes[i] != null && processes[i].isAlive();
    }

    @Override
    public void close() {
        killAll();
        try {
            Runtime.getRuntime().removeShutdownHook(killOnExit);
        } catch (IllegalStateException e) {
            // The JVM is exiting: the hook runs (or ran) killAll itself.
        }
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // A temp dir left behind is harmless.
        }
    }

    private void killAll() {
        IntStream.range(0, processes.length).filter(i -> processes[i] != null).forEach(i -> {
            processes[i].destroyForcibly();
            try {
                processes[i].waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            processes[i] = null;
        });
    }

    private void launch(int i) {
        Member member = members.get(i);
        String client = member.clientUrl().toString();
        ProcessBuilder builder = new ProcessBuilder(ETCD.toString(),
                "--name", member.name(),
                "--data-dir", root.resolve(member.name()).toString(),
                "--listen-client-urls", client, "--advertise-client-urls", client,
                "--listen-peer-urls", member.peerUrl(), "--initial-advertise-peer-urls", member.peerUrl(),
                "--initial-cluster", initialCluster, "--initial-cluster-state", "new",
                "--initial-cluster-token", root.getFileName().toString(),
                "--heartbeat-interval", "100", "--election-timeout", "1000")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(root.resolve(member.name() + ".log").toFile()));
        try {
            processes[i] = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + ETCD, e);
        }
    }

    private void awaitHealthy(int i) {
        Member member = members.get(i);
        await("etcd " + member.name() + " healthy (log: " + root.resolve(member.name() + ".log") + ")")
                .atMost(READY_BOUND).pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    if (!running(i)) {
                        throw new IllegalStateException("etcd " + member.name() + " exited; see "
                                + root.resolve(member.name() + ".log"));
                    }
                    return healthy(member);
                });
    }

    private boolean healthy(Member member) {
        HttpRequest request = HttpRequest.newBuilder(member.clientUrl().resolve("/health")).timeout(Duration.ofSeconds(2)).build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 && response.body().replace(" ", "").contains("\"health\":\"true\"");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
