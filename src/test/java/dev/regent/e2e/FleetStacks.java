package dev.regent.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.regent.db.DatabaseCredentials;
import dev.regent.fleet.etcd.EtcdCluster;
import dev.regent.fleet.etcd.FleetKeys;
import dev.regent.fs.HostLayout;
import dev.regent.testing.LoopbackPorts;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.GetOption;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Three hosts of one fleet on this machine: three stacks (compose projects, loopback ports,
 * deploy/ folders), each seeing the Docker engine through its own {@link ComposeProjectProxy},
 * each running `regent run --git` on one bare repository as web1, web2 or web3 against a real
 * etcd cluster. Commits go to the bare repository through the first stack's clone. The fleet has one
 * PostgreSQL, the first stack's: the other stacks run no database of their own and reach it as `db`
 * on their compose network, with the first stack's password file, as hosts sharing a database do.
 */
final class FleetStacks implements AutoCloseable {
    static final String FLEET = "shop";
    static final List<String> HOSTS = List.of("web1", "web2", "web3");
    private static final ObjectMapper JSON = new ObjectMapper();
    final EtcdCluster etcd;
    final List<Stack> stacks = new ArrayList<>();
    final Path bare;
    private final List<ComposeProjectProxy> proxies = new ArrayList<>();
    private final Process[] loops = new Process[HOSTS.size()];
    private final int[] apis = new int[HOSTS.size()];
    private final Path[] logs = new Path[HOSTS.size()];
    private final Client client;
    private final FleetKeys keys = FleetKeys.forFleet(FLEET);
    private final java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(3)).build();
    private final Thread closeOnExit = new Thread(this::close, "fleet-stacks-close");
    private boolean closed;

    /** Made with the first commit holding {@code fleetFile}; nothing runs yet. */
    FleetStacks(EtcdCluster etcd, String fleetFile) throws IOException {
        this.etcd = etcd;
        this.client = Client.builder().endpoints(etcd.endpoints().toArray(URI[]::new)).build();
        Runtime.getRuntime().addShutdownHook(closeOnExit);
        for (String host : HOSTS) {
            Stack stack = Stack.create(fleetFile);
            stacks.add(stack);
            proxies.add(ComposeProjectProxy.start(FLEET, stack.project));
        }
        bare = Files.createTempDirectory("regent-fleet-origin-").resolve("fleet.git");
        stacks.get(0).git("clone", "-q", "--bare", stacks.get(0).root.toString(), bare.toString());
        stacks.get(0).git("remote", "add", "origin", bare.toString());
    }

    /** Starts every stack's containers: the first with the fleet's database, then the others (in parallel) joined to it. */
    void up() {
        Stack first = stacks.get(0);
        first.up();
        Path password = DatabaseCredentials.passwordFile(new HostLayout(first.root));
        String database = first.compose("ps", "-q", "db").output().lines()
                .filter(line -> line.matches("[0-9a-f]{12,}")).findFirst().orElseThrow();
        stacks.stream().skip(1).parallel().forEach(stack -> {
            try {
                Path copy = DatabaseCredentials.passwordFile(new HostLayout(stack.root));
                Files.createDirectories(copy.getParent());
                Files.copy(password, copy, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            stack.compose("up", "-d", "--no-deps", "web", "nginx");
            Stack.Result joined = stack.run(List.of("docker", "network", "connect", "--alias", DatabaseCredentials.HOST,
                    stack.project + "_default", database), Duration.ofMinutes(1));
            if (joined.exit() != 0) {
                throw new IllegalStateException("could not join the fleet's database to " + stack.project + ":\n" + joined.output());
            }
        });
    }

    /** Runs {@code sql} in the fleet's database and returns psql's unaligned output. */
    String psql(String sql) {
        Stack first = stacks.get(0);
        Stack.Result result = first.run(List.of("docker-compose", "-p", first.project, "exec", "-T", "-u", "postgres", "db",
                "psql", "-d", DatabaseCredentials.DATABASE, "-tA", "-v", "ON_ERROR_STOP=1", "-c", sql), Duration.ofSeconds(60));
        if (result.exit() != 0) {
            throw new IllegalStateException("psql failed: " + sql + "\n" + result.output());
        }
        return result.output().strip();
    }

    Stack stack(String host) {
        return stacks.get(HOSTS.indexOf(host));
    }

    int api(String host) {
        return apis[HOSTS.indexOf(host)];
    }

    Path log(String host) {
        return logs[HOSTS.indexOf(host)];
    }

    /** Starts (or starts again) `regent run` for this host, polling the origin every 2 s. */
    void startLoop(String host) throws IOException {
        int i = HOSTS.indexOf(host);
        Stack stack = stacks.get(i);
        apis[i] = LoopbackPorts.reserve();
        if (logs[i] == null) {
            logs[i] = Files.createTempFile("regent-fleet-" + host + "-", ".log");
        }
        String endpoints = etcd.endpoints().stream().map(URI::toString).collect(Collectors.joining(","));
        loops[i] = stack.startRegentAppending(logs[i], Map.of("DOCKER_HOST", proxies.get(i).dockerHost()),
                "run", "--git", bare.toString(), "--branch", "main", "--resync", "2", "--host", host,
                "--etcd", endpoints, "--listen", "127.0.0.1:" + apis[i]);
    }

    boolean running(String host) {
        Process loop = loops[HOSTS.indexOf(host)];
        return loop != null && loop.isAlive();
    }

    /** SIGKILL: the host's `regent run` ends without releasing anything; its lease runs out by itself. */
    void kill(String host) throws InterruptedException {
        Process loop = loops[HOSTS.indexOf(host)];
        loop.destroyForcibly();
        loop.waitFor(30, TimeUnit.SECONDS);
    }

    /** Writes the fleet file (and other files) in the first stack, commits and pushes to the origin. */
    String commit(String message, Map<String, String> files) {
        Stack first = stacks.get(0);
        files.forEach(first::write);
        String commit = first.commitAll(message);
        first.git("push", "-q", "origin", "HEAD:main");
        return commit;
    }

    /** Each host's published record (JSON) by host; empty when etcd does not answer. */
    Optional<Map<String, JsonNode>> records() {
        return range(keys.hosts()).map(values -> {
            var records = new LinkedHashMap<String, JsonNode>();
            values.forEach((key, json) -> records.put(key.substring(keys.hosts().length()), read(json)));
            return records;
        });
    }

    /** Every slot key (held or queued) as {@code <revision-key>/<host>}; empty when etcd does not answer. */
    Optional<List<String>> slots() {
        String folder = keys.prefix() + "slots/";
        return range(folder).map(values -> values.keySet().stream().map(key -> key.substring(folder.length())).toList());
    }

    /**
     * The hosts holding a slot now, over every revision: the first {@code maxParallel} keys of each
     * revision's queue by create revision (etcd's order, as the hosts read it); empty when etcd does not answer.
     */
    Optional<List<String>> slotHolders(int maxParallel) {
        String folder = keys.prefix() + "slots/";
        try {
            var response = client.getKVClient().get(bytes(folder), GetOption.builder().isPrefix(true).build())
                    .get(3, TimeUnit.SECONDS);
            var queues = new LinkedHashMap<String, List<io.etcd.jetcd.KeyValue>>();
            response.getKvs().forEach(kv -> queues.computeIfAbsent(kv.getKey().toString(StandardCharsets.UTF_8)
                    .substring(folder.length()).split("/")[0], k -> new ArrayList<>()).add(kv));
            return Optional.of(queues.values().stream().flatMap(queue -> queue.stream()
                    .sorted(java.util.Comparator.comparingLong(io.etcd.jetcd.KeyValue::getCreateRevision)).limit(maxParallel)
                    .map(kv -> kv.getKey().toString(StandardCharsets.UTF_8).replaceFirst(".*/", ""))).toList());
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    /** Every standing halt (JSON); empty when etcd does not answer. */
    Optional<List<JsonNode>> halts() {
        return range(keys.prefix() + "halts/").map(values -> values.values().stream().map(FleetStacks::read).toList());
    }

    private Optional<Map<String, String>> range(String prefix) {
        try {
            var response = client.getKVClient().get(bytes(prefix), GetOption.builder().isPrefix(true).build())
                    .get(3, TimeUnit.SECONDS);
            var values = new LinkedHashMap<String, String>();
            response.getKvs().forEach(kv -> values.put(kv.getKey().toString(StandardCharsets.UTF_8),
                    kv.getValue().toString(StandardCharsets.UTF_8)));
            return Optional.of(values);
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    private static ByteSequence bytes(String text) {
        return ByteSequence.from(text, StandardCharsets.UTF_8);
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException("unreadable JSON in etcd: " + json, e);
        }
    }

    /** The live build of a host as its live port answers /healthz ("" when nothing answers). */
    String liveBuild(String host) {
        Stack stack = stack(host);
        return stack.get(stack.livePort, "/healthz").build();
    }

    /** What the host's `regent run` reports at /api/status ("" when it does not answer within 30 s: it observes the host first). */
    String status(String host) {
        try {
            var request = java.net.http.HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api(host) + "/api/status"))
                    .timeout(Duration.ofSeconds(30)).build();
            return http.send(request, java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /** How long the host's log is now: pass it to {@link #logSince} to read what the host logs after this. */
    long logSize(String host) {
        return log(host).toFile().length();
    }

    /** {@link #logSize} of every host, by host. */
    Map<String, Long> logSizes() {
        return HOSTS.stream().collect(java.util.stream.Collectors.toMap(h -> h, this::logSize));
    }

    /** The short id of the host's web container: the host name its commands see. */
    String webContainer(String host) {
        return stack(host).compose("ps", "-q", "web").output().lines()
                .filter(line -> line.matches("[0-9a-f]{12,}")).findFirst().orElseThrow().substring(0, 12);
    }

    String logSince(String host, long size) {
        try {
            String text = Files.readString(log(host));
            return text.substring((int) Math.min(size, text.length()));
        } catch (IOException e) {
            return "";
        }
    }

    String logTail(String host) {
        try {
            String text = Files.readString(log(host));
            return text.substring(Math.max(0, text.length() - 4000));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** Kills every `regent run` and removes the stacks; also when the JVM ends first (the runs would outlive it). */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            Runtime.getRuntime().removeShutdownHook(closeOnExit);
        } catch (IllegalStateException e) {
            // The JVM is exiting: this is the hook.
        }
        for (int i = 0; i < loops.length; i++) {
            if (loops[i] != null) {
                loops[i].destroyForcibly();
            }
        }
        client.close();
        if (!stacks.isEmpty()) {
            stacks.get(0).run(List.of("rm", "-rf", bare.getParent().toString()), Duration.ofMinutes(1));
        }
        // The first stack first: its database is joined to the others' networks, which cannot go while it is.
        if (!stacks.isEmpty()) {
            stacks.get(0).close();
        }
        stacks.stream().skip(1).parallel().forEach(Stack::close);
        for (ComposeProjectProxy proxy : proxies) {
            try {
                proxy.close();
            } catch (IOException e) {
                // A proxy that does not close ends with the JVM.
            }
        }
    }
}
