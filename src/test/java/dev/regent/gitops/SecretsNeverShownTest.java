package dev.regent.gitops;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.regent.fs.HostFiles;
import dev.regent.fs.HostLayout;
import dev.regent.observe.ObservedHost;
import dev.regent.observe.Observer;
import dev.regent.reconcile.Journal;
import dev.regent.reconcile.Outcome;
import dev.regent.reconcile.TriggerQueue;
import dev.regent.server.Metrics;
import dev.regent.server.OperatorServer;
import dev.regent.server.StatusReport;
import dev.regent.uwsgi.StatsReader;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A git URL with credentials, served for real over HTTP (git's dumb protocol, Basic auth), then
 * unreachable: the token is in no log line, no file under deploy/, no /api/status answer and no
 * journal event, while the fetch itself did use it.
 */
class SecretsNeverShownTest {
    static final String TOKEN = "s3cr3t-token";
    @TempDir
    Path folder;
    Path upstream;
    HttpServer git;
    AtomicInteger authorized = new AtomicInteger();
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

    @BeforeEach
    void serve() throws Exception {
        upstream = folder.resolve("upstream");
        try (Git repo = Git.init().setDirectory(upstream.toFile()).setInitialBranch("master").call()) {
            Files.writeString(upstream.resolve("desired-state.yaml"), GitFollowerTest.roles("a", "b"));
            repo.add().addFilepattern("desired-state.yaml").call();
            String head = repo.commit().setMessage("first").setAuthor("t", "t@t").setCommitter("t", "t@t").call().getName();
            // What `git update-server-info` writes, for the dumb HTTP protocol.
            Files.createDirectories(upstream.resolve(".git/info"));
            Files.writeString(upstream.resolve(".git/info/refs"), head + "\trefs/heads/master\n");
            Files.createDirectories(upstream.resolve(".git/objects/info"));
            Files.writeString(upstream.resolve(".git/objects/info/packs"), "");
        }
        git = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        git.createContext("/repo.git/", this::file);
        git.start();
        logs.start();
        root.addAppender(logs);
    }

    @AfterEach
    void stop() {
        root.detachAppender(logs);
        if (git != null) {
            git.stop(0);
        }
    }

    private void file(HttpExchange exchange) throws IOException {
        String expected = "Basic " + Base64.getEncoder().encodeToString(("deploy:" + TOKEN).getBytes(StandardCharsets.UTF_8));
        Path file = upstream.resolve(".git").resolve(exchange.getRequestURI().getPath().substring("/repo.git/".length()));
        if (!expected.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"git\"");
            exchange.sendResponseHeaders(401, -1);
        } else if (!Files.isRegularFile(file)) {
            authorized.incrementAndGet();
            exchange.sendResponseHeaders(404, -1);
        } else {
            authorized.incrementAndGet();
            byte[] body = Files.readAllBytes(file);
            exchange.getResponseHeaders().add("Content-Type", "text/plain");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        }
        exchange.close();
    }

    @Test
    void aTokenInTheGitUrlIsInNoLogFileStatusAnswerOrEvent() throws Exception {
        String url = "http://deploy:" + TOKEN + "@127.0.0.1:" + git.getAddress().getPort() + "/repo.git";
        String shown = "http://deploy:***@127.0.0.1:" + git.getAddress().getPort() + "/repo.git";
        var layout = new HostLayout(folder.resolve("host"));
        var follower = new GitFollower(new GitSource(url, Optional.empty(), layout.root().resolve("deploy/git/m.git"),
                Duration.ofSeconds(10)), "desired-state.yaml", layout.run().resolve(SyncStatus.FILE), Clock.systemUTC(),
                errors -> { }, Optional.empty());
        var journal = new Journal(layout.run().resolve("journal.jsonl"), Clock.systemUTC());
        LoggerFactory.getLogger("regent.run").info("following {}; resync every {} s", follower, 30);

        Revision revision = follower.current().orElseThrow();
        journal.revision(revision.id());
        journal.ended(new Outcome.Failed("create build a", "step failed", true, 0));
        follower.reconciled(revision, new Outcome.Failed("create build a", "step failed", true, 0));
        git.stop(0);
        follower.current();
        String unreachable = "https://deploy:" + TOKEN + "@127.0.0.1:" + closedPort() + "/repo.git";
        String failure = "";
        try {
            new GitSource(unreachable, Optional.of("main"), folder.resolve("other.git"), Duration.ofSeconds(5)).fetch();
        } catch (GitSource.GitFailure e) {
            failure = e.getMessage();
        }
        String status = statusAnswer(layout, revision);

        assertThat(authorized).as("the fetch authenticated with the real URL").hasPositiveValue();
        assertThat(revision.id()).isEqualTo(Git.open(upstream.toFile()).getRepository().resolve("HEAD").getName());
        assertThat(follower.status().fetchError()).as("the unreachable remote was reported").isPresent();
        assertThat(logs.list).extracting(SecretsNeverShownTest::text).allSatisfy(line -> assertThat(line).doesNotContain(TOKEN));
        try (Stream<Path> files = Files.walk(layout.root().resolve("deploy"))) {
            assertThat(files.filter(Files::isRegularFile).toList()).isNotEmpty()
                    .allSatisfy(file -> assertThat(Files.readString(file, StandardCharsets.ISO_8859_1)).as(file.toString())
                            .doesNotContain(TOKEN));
        }
        assertThat(status).doesNotContain(TOKEN);
        assertThat(failure).doesNotContain(TOKEN);
        assertThat(Journal.read(layout.run().resolve("journal.jsonl"), 100)).isNotEmpty()
                .allSatisfy(event -> assertThat(HostFiles.JSON.writeValueAsString(event)).doesNotContain(TOKEN));

        assertThat(follower.status().fetchError()).get().asString().contains("from " + shown);
        assertThat(failure).startsWith("could not fetch main from https://deploy:***@127.0.0.1:");
        assertThat(status).contains("\"source\" : \"" + shown + "\"", "\"branch\" : \"master\"");
        assertThat(logs.list).extracting(SecretsNeverShownTest::text)
                .anySatisfy(line -> assertThat(line).contains("following " + shown + " (default branch)"))
                .anySatisfy(line -> assertThat(line).contains("could not fetch the default branch from " + shown));
    }

    /** /api/status from the real server on a loopback port, as `regent run` serves it. */
    private static String statusAnswer(HostLayout layout, Revision revision) throws Exception {
        var observer = new Observer(layout, new dev.regent.docker.NoDocker(), new StatsReader(Duration.ofMillis(100)));
        var report = new StatusReport(() -> Optional.of(revision),
                d -> observer.observeFiles(new ObservedHost.Containers(true, true)), layout, Clock.systemUTC());
        try (var server = new OperatorServer(new InetSocketAddress("127.0.0.1", 0), new TriggerQueue(),
                new WebhookAuth(Optional.empty()), report, new Metrics(Clock.systemUTC()))) {
            server.start();
            var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/api/status")).build();
            HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            return response.body();
        }
    }

    private static String text(ILoggingEvent event) {
        return event.getFormattedMessage()
                + (event.getThrowableProxy() == null ? "" : ThrowableProxyUtil.asString(event.getThrowableProxy()));
    }

    private static int closedPort() throws IOException {
        try (var socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
