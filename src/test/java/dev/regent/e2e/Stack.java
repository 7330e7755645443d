package dev.regent.e2e;

import static org.awaitility.Awaitility.await;

import dev.regent.db.DatabaseCredentials;
import dev.regent.fs.HostLayout;
import dev.regent.testing.LoopbackPorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A real copy of the sample stack in a temporary folder with its own git repository, compose
 * project and loopback ports, driven through the real regent jar, Docker, uWSGI and nginx.
 */
final class Stack implements AutoCloseable {
    static final Path PROJECT = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    static final Path JAR = PROJECT.resolve("target/regent.jar");
    final Path root;
    final String project;
    final int livePort;
    final int stagePort;
    /** Published 8443: HTTPS for the names in spec.site. */
    final int httpsPort;
    /** Published 9090 of the compose `regent` service: one per stack, so every docker-compose call sees the same file. */
    private final int composeApiPort;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private Process loop;

    private Stack(Path root, String project) throws IOException {
        this.root = root;
        this.project = project;
        this.livePort = LoopbackPorts.reserve();
        this.stagePort = LoopbackPorts.reserve();
        this.httpsPort = LoopbackPorts.reserve();
        this.composeApiPort = LoopbackPorts.reserve();
    }

    int httpsPort() {
        return httpsPort;
    }

    /** A desired state for the sample app: {@code builds} holds the indented lines of spec.builds. */
    static String desiredState(String project, String builds, String live, String stage) {
        return """
                apiVersion: regent/v1
                kind: Host
                metadata:
                  name: %s
                spec:
                  source: {repo: ., path: examples/app}
                  builds:
                %s  live: %s
                  stage: %s
                """.formatted(project, builds, live, stage);
    }

    /** The sample stack with builds a (live) and b (stage) listed, its containers started, nothing built. */
    static Stack startedAB() throws IOException {
        Stack stack = create(desiredState("PROJECT", "    a: {ref: HEAD}\n    b: {ref: HEAD}\n", "a", "b"));
        stack.up();
        return stack;
    }

    /**
     * Writes this desired state and applies it: the start of a test that needs a known host, cheap
     * when the host is already there. Fails unless {@code regent apply} converges.
     */
    Result converge(String desiredState) {
        writeDesired(desiredState);
        var apply = regent("apply");
        if (apply.exit() != 0) {
            throw new IllegalStateException("regent apply did not converge to\n" + desiredState + "\n" + apply.output());
        }
        return apply;
    }

    /** As {@link #startedAB()}, then converged by {@code regent apply}. */
    static Stack convergedAB() throws IOException {
        Stack stack = startedAB();
        var apply = stack.regent("apply");
        if (apply.exit() != 0) {
            stack.close();
            throw new IllegalStateException("regent apply did not converge the sample stack:\n" + apply.output());
        }
        return stack;
    }

    /**
     * Starts {@code regent run} with these arguments and returns once live serves build a and stage
     * build b; {@link #close()} kills it.
     */
    Process startLoop(Path log, Map<String, String> env, String... args) throws IOException {
        loop = startRegent(log, env, args);
        await().atMost(Duration.ofMinutes(4)).until(() -> servedBy(livePort).equals("a") && servedBy(stagePort).equals("b"));
        return loop;
    }

    /** Copies the stack and the sample app into a fresh folder and commits it; nothing is started yet. */
    static Stack create(String desiredState) throws IOException {
        Path root = Files.createTempDirectory("regent-e2e-");
        String project = "regente2e" + root.getFileName().toString().replaceAll("[^0-9]", "");
        Stack stack = new Stack(root, project);
        for (String item : List.of("docker-compose.yml", "conf", "examples", "docker", ".gitignore")) {
            copy(PROJECT.resolve(item), root.resolve(item));
        }
        copy(PROJECT.resolve("deploy/deps/wheelhouse"), root.resolve("deploy/deps/wheelhouse"));
        stack.writeDesired(desiredState.replace("PROJECT", project));
        stack.git("init", "-q", "-b", "main");
        stack.git("config", "user.email", "e2e@regent.test");
        stack.git("config", "user.name", "Regent E2E");
        stack.commitAll("initial stack");
        return stack;
    }

    /** Makes the database password (as bin/regent up does), then starts db, web and nginx. */
    void up() {
        DatabaseCredentials.ensurePassword(DatabaseCredentials.passwordFile(new HostLayout(root)), new SecureRandom());
        compose("up", "-d", "db", "web", "nginx");
    }

    Result compose(String... args) {
        var command = new ArrayList<>(List.of("docker-compose", "-p", project));
        command.addAll(List.of(args));
        Result result = run(command, Duration.ofMinutes(5));
        if (result.exit() != 0) {
            throw new IllegalStateException("docker-compose " + String.join(" ", args) + " failed:\n" + result.output());
        }
        return result;
    }

    /** Runs the regent CLI against this stack and waits for it. */
    Result regent(String... args) {
        return run(regentCommand(args), Duration.ofMinutes(8));
    }

    /** Starts the regent CLI without waiting, output to a file. */
    Process startRegent(Path log, String... args) throws IOException {
        return startRegent(log, Map.of(), args);
    }

    Process startRegent(Path log, Map<String, String> env, String... args) throws IOException {
        var builder = new ProcessBuilder(regentCommand(args)).directory(root.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(env);
        return builder.start();
    }

    /** As {@link #startRegent(Path, Map, String...)}, the output appended to the log (a restart keeps what came before). */
    Process startRegentAppending(Path log, Map<String, String> env, String... args) throws IOException {
        var builder = new ProcessBuilder(regentCommand(args)).directory(root.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(env);
        return builder.start();
    }

    /** POSTs to a loopback port; returns the status code. */
    int post(int port, String path, String body, Map<String, String> headers) {
        try {
            var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString(body));
            headers.forEach(request::header);
            return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    /** What Regent recorded of this stack's promotions and rollback pins. */
    PromotionRecords promotions() {
        return new PromotionRecords(this);
    }

    private List<String> regentCommand(String... args) {
        var command = new ArrayList<>(List.of("java", "-jar", JAR.toString()));
        command.addAll(List.of(args));
        command.addAll(List.of("--root", root.toString(), "--file", root.resolve("desired-state.yaml").toString()));
        return command;
    }

    Result exec(String service, String... args) {
        var command = new ArrayList<>(List.of("docker-compose", "-p", project, "exec", "-T", service));
        command.addAll(List.of(args));
        return run(command, Duration.ofMinutes(2));
    }

    Result git(String... args) {
        var command = new ArrayList<>(List.of("git", "-C", root.toString()));
        command.addAll(List.of(args));
        Result result = run(command, Duration.ofMinutes(1));
        if (result.exit() != 0) {
            throw new IllegalStateException("git " + String.join(" ", args) + " failed:\n" + result.output());
        }
        return result;
    }

    String commitAll(String message) {
        git("add", "-A");
        git("commit", "-q", "-m", message);
        return git("rev-parse", "HEAD").output().strip();
    }

    void writeDesired(String text) {
        write("desired-state.yaml", text);
    }

    String desired() {
        return read("desired-state.yaml");
    }

    void write(String relative, String text) {
        try {
            Path file = root.resolve(relative);
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String read(String relative) {
        try {
            return Files.readString(root.resolve(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** GET on a published loopback port. */
    Response get(int port, String path) {
        try {
            var response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.headers().firstValue("X-Regent-Build").orElse(""),
                    response.body());
        } catch (IOException e) {
            return new Response(0, "", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Response(0, "", "interrupted");
        }
    }

    String servedBy(int port) {
        return get(port, "/").build();
    }

    /** The build folders and links under deploy/builds with what identifies them: a fingerprint of serving state. */
    String fingerprint() {
        Path builds = root.resolve("deploy/builds");
        if (!Files.isDirectory(builds)) {
            return "";
        }
        try (Stream<Path> entries = Files.list(builds)) {
            var lines = new ArrayList<String>();
            for (Path entry : entries.sorted().toList()) {
                String name = entry.getFileName().toString();
                if (Files.isSymbolicLink(entry)) {
                    lines.add(name + " -> " + Files.readSymbolicLink(entry));
                } else {
                    Path record = entry.resolve("regent-build.json");
                    lines.add(name + " " + (Files.exists(record) ? Files.readString(record).hashCode() : "-")
                            + " vassal=" + Files.isSymbolicLink(entry.resolve("vassal.ini"))
                            + " pool=" + Files.isSymbolicLink(entry.resolve("zerg.ini")));
                }
            }
            return String.join("\n", lines);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The fingerprint line of one build. */
    String fingerprintOf(String build) {
        return fingerprint().lines().filter(l -> l.startsWith(build + " ")).findFirst().orElse("");
    }

    @Override
    public void close() {
        if (loop != null) {
            loop.destroyForcibly();
        }
        try {
            run(List.of("docker-compose", "-p", project, "down", "-v", "--remove-orphans", "-t", "3"), Duration.ofMinutes(2));
        } finally {
            run(List.of("rm", "-rf", root.toString()), Duration.ofMinutes(1));
        }
    }

    /** Runs a command in the stack's folder with its ports set; fails with {@link BoundedCommand.TimedOut} past {@code timeout}. */
    Result run(List<String> command, Duration timeout) {
        var env = Map.of(
                "REGENT_LIVE_PORT", String.valueOf(livePort),
                "REGENT_STAGE_PORT", String.valueOf(stagePort),
                "REGENT_HTTPS_PORT", String.valueOf(httpsPort),
                "REGENT_API_PORT", String.valueOf(composeApiPort));
        var result = BoundedCommand.run(root, command, env, timeout);
        return new Result(result.exit(), result.output());
    }

    static void copy(Path from, Path to) throws IOException {
        if (!Files.exists(from)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path source : paths.toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    record Result(int exit, String output) {
    }

    record Response(int status, String build, String body) {
    }
}
