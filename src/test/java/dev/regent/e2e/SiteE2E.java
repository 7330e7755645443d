package dev.regent.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.regent.site.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The front door on the real stack: spec.site with host names and a self-signed certificate made
 * by openssl here. Names answer over HTTPS (HTTP/2) from their roles, HTTP redirects, Django sees
 * TLS and the client, a CSRF form posts, promotions over HTTPS fail nothing and reload nothing, bad
 * certificates are refused before nginx is touched, and a renewed certificate is picked up.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SiteE2E {
    static final String WWW = "www.example.test";
    static final String APEX = "example.test";
    static final String STAGE = "stage.example.test";
    static final String CERT = "deploy/secrets/tls/fullchain.pem";
    static final String KEY = "deploy/secrets/tls/privkey.pem";
    static final List<String> NAMES = List.of(WWW, APEX, STAGE);
    static final ObjectMapper JSON = new ObjectMapper();
    static Stack stack;
    static Path tls;

    @BeforeAll
    static void start() throws Exception {
        stack = Stack.create(desired("a", "b", CERT, KEY));
        tls = stack.root.resolve("deploy/secrets/tls");
        Files.createDirectories(tls);
        TestCertificates.selfSigned(tls, NAMES, 30);
        stack.up();
        stack.startLoop(Files.createTempFile("regent-site", ".log"), Map.of(), "run", "--listen", "off");
        await().atMost(Duration.ofMinutes(2)).until(() -> https(WWW, "/").build().equals("a"));
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    static String desired(String live, String stage, String certificate, String key) {
        return Stack.desiredState("PROJECT", "    a: {ref: HEAD}\n    b: {ref: HEAD}\n", live, stage) + """
                  site:
                    live: [%s, %s]
                    stage: [%s]
                    tls:
                      certificate: %s
                      key: %s
                      hsts: {maxAge: 365d}
                """.formatted(WWW, APEX, STAGE, certificate, key);
    }

    @Test
    @Order(1)
    void theNamesAnswerOverHttpsWithHttp2FromTheirRoles() {
        for (String name : List.of(WWW, APEX)) {
            var answer = https(name, "/");
            assertThat(answer.status()).as(answer.raw()).isEqualTo(200);
            assertThat(answer.build()).isEqualTo("a");
            assertThat(answer.httpVersion()).isEqualTo("2");
            assertThat(answer.header("strict-transport-security")).isEqualTo("max-age=31536000");
        }
        var stage = https(STAGE, "/");
        assertThat(stage.status()).as(stage.raw()).isEqualTo(200);
        assertThat(stage.build()).isEqualTo("b");
    }

    @Test
    @Order(2)
    void plainHttpForTheNamesRedirectsAndThePortsKeepServingTheirRoles() {
        var redirect = curl(List.of("-H", "Host: " + WWW, "http://127.0.0.1:" + stack.livePort + "/notes?page=2"));
        assertThat(redirect.status()).as(redirect.raw()).isEqualTo(301);
        assertThat(redirect.header("location")).isEqualTo("https://" + WWW + "/notes?page=2");
        var stageRedirect = curl(List.of("-H", "Host: " + STAGE, "http://127.0.0.1:" + stack.livePort + "/"));
        assertThat(stageRedirect.header("location")).isEqualTo("https://" + STAGE + "/");
        assertThat(stack.get(stack.livePort, "/").build()).as("the live port without a name").isEqualTo("a");
        assertThat(stack.get(stack.stagePort, "/").build()).as("the stage port without a name").isEqualTo("b");
    }

    @Test
    @Order(3)
    void djangoSeesTlsTheClientAndTheRequestIdAndACsrfFormPosts() throws Exception {
        var whoami = https(WWW, "/whoami", "-H", "X-Forwarded-For: 203.0.113.9", "-H", "X-Request-ID: e2e-trace-0001");
        assertThat(whoami.status()).as(whoami.raw()).isEqualTo(200);
        JsonNode seen = JSON.readTree(whoami.body());
        assertThat(seen.path("secure").asBoolean()).as(whoami.body()).isTrue();
        assertThat(seen.path("scheme").asText()).isEqualTo("https");
        assertThat(seen.path("remote_addr").asText()).as("a client-supplied X-Forwarded-For is not believed")
                .isNotEqualTo("203.0.113.9").isNotBlank().doesNotContain(",");
        assertThat(seen.path("request_id").asText()).isEqualTo("e2e-trace-0001");
        assertThat(whoami.header("x-request-id")).isEqualTo("e2e-trace-0001");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(stack.compose("logs", "--no-color", "nginx").output().lines()
                        .filter(l -> l.contains("e2e-trace-0001")).toList())
                        .as("nginx's access log names the request id and the build").singleElement().asString()
                        .contains("build=a"));

        Path jar = Files.createTempFile("regent-cookies", ".txt");
        var form = https(WWW, "/contact", "-c", jar.toString());
        assertThat(form.status()).as(form.raw()).isEqualTo(200);
        Matcher token = Pattern.compile("name=\"csrfmiddlewaretoken\" value=\"([^\"]+)\"").matcher(form.body());
        assertThat(token.find()).as(form.body()).isTrue();
        String referer = "https://" + WWW + ":" + stack.httpsPort + "/contact";
        var refused = https(WWW, "/contact", "-b", jar.toString(), "-H", "Referer: " + referer,
                "--data-urlencode", "text=no token");
        assertThat(refused.status()).as("CSRF protection is on").isEqualTo(403);
        var posted = https(WWW, "/contact", "-b", jar.toString(), "-H", "Referer: " + referer,
                "--data-urlencode", "text=sent over https", "--data-urlencode", "csrfmiddlewaretoken=" + token.group(1));
        assertThat(posted.status()).as(posted.raw()).isIn(200, 303);
        var notes = https(WWW, "/notes");
        assertThat(notes.body()).contains("sent over https");
    }

    @Test
    @Order(4)
    void twentyPromotionsOverHttpsUnderLoadFailNoRequestAndReloadNothing() throws Exception {
        int reloadsBefore = nginxReloads();
        String workersBefore = nginxWorkers();
        Load load = Load.startHttps(stack.httpsPort, WWW, "/healthz", 8, 600);
        String live = "a";
        for (int promotion = 1; promotion <= 20; promotion++) {
            String next = live.equals("a") ? "b" : "a";
            String previous = live;
            writeDesiredAtomically(desired(next, previous, CERT, KEY));
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                    .until(() -> https(WWW, "/healthz").build().equals(next) && https(STAGE, "/healthz").build().equals(previous));
            live = next;
        }
        var result = load.stop();
        System.out.printf("site: 20 promotions over HTTPS: %s, p99 %.1f ms%n", result.line(), result.p99Millis());
        assertThat(result.requests()).as(result.report()).isPositive();
        assertThat(result.failed()).as(result.report()).isZero();
        assertThat(nginxReloads()).as("nginx reloads (\"reconfiguring\" in its log)").isEqualTo(reloadsBefore);
        assertThat(nginxWorkers()).as("nginx worker processes").isEqualTo(workersBefore);
    }

    @Test
    @Order(5)
    void badCertificatesAreRefusedBeforeNginxIsTouched() throws Exception {
        String live = https(WWW, "/").build();
        String other = live.equals("a") ? "b" : "a";
        TestCertificates.keyOfAnother(TestCertificates.selfSigned(tls.resolve("mismatch"), NAMES, 30));
        TestCertificates.expired(tls.resolve("expired"), NAMES);
        TestCertificates.selfSigned(tls.resolve("narrow"), List.of(WWW), 30);
        String siteConf = stack.read("deploy/nginx/site.conf");
        int reloads = nginxReloads();
        record Case(String certificate, String key, String reason) {
        }
        for (Case bad : List.of(
                new Case("deploy/secrets/tls/mismatch/fullchain.pem", "deploy/secrets/tls/mismatch/privkey.pem", "does not match"),
                new Case("deploy/secrets/tls/expired/fullchain.pem", "deploy/secrets/tls/expired/privkey.pem", "expired"),
                new Case("deploy/secrets/tls/narrow/fullchain.pem", "deploy/secrets/tls/narrow/privkey.pem", APEX))) {
            writeDesiredAtomically(desired(live, other, bad.certificate(), bad.key()));
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                var plan = stack.regent("plan");
                assertThat(plan.output()).as(plan.output()).contains(bad.reason());
            });
            assertThat(stack.read("deploy/nginx/site.conf")).as("the site config nginx loads").isEqualTo(siteConf);
            assertThat(nginxReloads()).as("nginx reloads").isEqualTo(reloads);
            assertThat(https(WWW, "/").build()).as("still served with the certificate it had").isEqualTo(live);
        }
        writeDesiredAtomically(desired(live, other, CERT, KEY));

        var renewed = TestCertificates.selfSigned(tls.resolve("renewed"), NAMES, 60);
        Files.move(renewed.key(), tls.resolve("privkey.pem"), StandardCopyOption.REPLACE_EXISTING);
        Files.move(renewed.certificate(), tls.resolve("fullchain.pem"), StandardCopyOption.REPLACE_EXISTING);
        await().atMost(Duration.ofSeconds(60)).until(() -> https(WWW, "/").status() == 200);
        assertThat(nginxReloads()).as("the renewed certificate is loaded by a reload").isGreaterThan(reloads);
    }

    // ---- helpers ---------------------------------------------------------------------------

    /** curl over HTTPS to a name, resolved to the stack's HTTPS port, trusting only the current certificate. */
    static Answer https(String name, String path, String... extra) {
        var args = new ArrayList<>(List.of("--cacert", tls.resolve("fullchain.pem").toString(),
                "--resolve", name + ":" + stack.httpsPort + ":127.0.0.1"));
        args.addAll(List.of(extra));
        args.add("https://" + name + ":" + stack.httpsPort + path);
        return curl(args);
    }

    static Answer curl(List<String> args) {
        var command = new ArrayList<>(List.of("curl", "-sS", "--max-time", "10", "-D", "-",
                "-w", "\n%{http_version}", "-o", "-"));
        command.addAll(args);
        var result = stack.run(command, Duration.ofSeconds(20));
        return Answer.parse(result.exit(), result.output());
    }

    static int nginxReloads() {
        return (int) stack.compose("logs", "--no-color", "nginx").output().lines()
                .filter(l -> l.contains("(SIGHUP) received") && l.contains("reconfiguring")).count();
    }

    static String nginxWorkers() {
        return stack.exec("nginx", "sh", "-c", "pgrep -f 'nginx: worker' | sort | tr '\\n' ' '").output().strip();
    }

    static void writeDesiredAtomically(String text) throws Exception {
        Path next = stack.root.resolve(".desired-state.yaml.next");
        Files.writeString(next, text.replace("PROJECT", stack.project));
        Files.move(next, stack.root.resolve("desired-state.yaml"), StandardCopyOption.ATOMIC_MOVE);
    }

    /** One curl answer: headers (-D -), body, and the HTTP version curl printed last. */
    record Answer(int status, Map<String, String> headers, String body, String httpVersion, String raw) {
        static Answer parse(int exit, String output) {
            if (exit != 0) {
                return new Answer(0, Map.of(), "", "", output);
            }
            String version = output.substring(output.lastIndexOf('\n') + 1).strip();
            String rest = output.substring(0, output.lastIndexOf('\n'));
            int split = rest.indexOf("\r\n\r\n");
            String head = split < 0 ? rest : rest.substring(0, split);
            String body = split < 0 ? "" : rest.substring(split + 4);
            var headers = new java.util.LinkedHashMap<String, String>();
            int status = 0;
            for (String line : head.split("\r\n")) {
                if (line.startsWith("HTTP/")) {
                    status = Integer.parseInt(line.split(" ")[1]);
                } else if (line.contains(":")) {
                    headers.put(line.substring(0, line.indexOf(':')).toLowerCase(java.util.Locale.ROOT),
                            line.substring(line.indexOf(':') + 1).strip());
                }
            }
            return new Answer(status, headers, body, version, output);
        }

        String header(String name) {
            return headers.getOrDefault(name, "");
        }

        String build() {
            return header("x-regent-build");
        }
    }
}
