package dev.regent.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the sample app (Django 4.2 from the wheelhouse) sees behind Regent's nginx on a real stack:
 * the client's address rather than one a client claims, the scheme nginx was reached by (HTTPS is
 * simulated by sending the build's own port nginx's X-Forwarded-Proto, from inside the web
 * container, as Regent's probes do), the request id in the build's uWSGI log line, and Django's
 * CSRF protection passing for a real form. (uWSGI itself turns X-Forwarded-Proto into
 * wsgi.url_scheme, so the generated SECURE_PROXY_SSL_HEADER is checked in BuildFilesTest.)
 */
class BehindProxyE2E {
    /** Build a's own port inside the web container: 2000 + 10 * index. */
    static final String BUILD_A = "http://127.0.0.1:2000";
    static final ObjectMapper JSON = new ObjectMapper();
    static Stack stack;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    @BeforeAll
    static void converge() throws Exception {
        stack = Stack.convergedAB();
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI live(String path) {
        return URI.create("http://127.0.0.1:" + stack.livePort + path);
    }

    @Test
    void djangoSeesTheClientNginxSawNotAForwardedForTheClientSent() throws Exception {
        String marker = UUID.randomUUID().toString();
        var response = send(HttpRequest.newBuilder(live("/whoami?marker=" + marker)).header("X-Forwarded-For", "6.6.6.6"));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode whoami = JSON.readTree(response.body());
        String remote = whoami.path("remote_addr").asText();
        assertThat(remote).isNotEqualTo("6.6.6.6").as("uWSGI's peer on nginx's UNIX socket").isNotEqualTo("0.0.0.0");
        assertThat(whoami.path("secure").asBoolean()).isFalse();
        assertThat(whoami.path("scheme").asText()).isEqualTo("http");
        assertThat(whoami.path("build").asText()).isEqualTo("a");
        await().atMost(Duration.ofSeconds(10)).alias("nginx's access log names the same client").untilAsserted(() ->
                assertThat(stack.compose("logs", "--no-color", "--no-log-prefix", "nginx").output().lines()
                        .filter(l -> l.contains(marker))).singleElement().asString().startsWith(remote + " "));
    }

    @Test
    void aRequestIdReachesDjangoAndTheBuildsRequestLog() throws Exception {
        String id = "behindproxy-" + UUID.randomUUID().toString().replace("-", "");
        var response = send(HttpRequest.newBuilder(live("/whoami")).header("X-Request-ID", id));

        assertThat(JSON.readTree(response.body()).path("request_id").asText()).isEqualTo(id);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(stack.compose("logs", "--no-color", "--no-log-prefix", "web").output().lines()
                        .filter(l -> l.contains(id))).singleElement().asString()
                        .contains("regent-request build=a id=" + id + " GET /whoami 200 "));
    }

    @Test
    void isSecureFollowsTheProtoNginxSendsAndOnlyThat() throws Exception {
        var https = stack.exec("web", "curl", "-s", "-H", "X-Forwarded-Proto: https", "-H", "X-Forwarded-For: 198.51.100.9",
                BUILD_A + "/whoami");
        var http = stack.exec("web", "curl", "-s", BUILD_A + "/whoami");

        JsonNode secure = JSON.readTree(https.output());
        assertThat(secure.path("secure").asBoolean()).as(https.output()).isTrue();
        assertThat(secure.path("scheme").asText()).isEqualTo("https");
        assertThat(secure.path("remote_addr").asText()).isEqualTo("198.51.100.9");
        JsonNode plain = JSON.readTree(http.output());
        assertThat(plain.path("secure").asBoolean()).as(http.output()).isFalse();
        assertThat(plain.path("remote_addr").asText()).as("no header: the probe's own address").isEqualTo("127.0.0.1");
        var spoofed = send(HttpRequest.newBuilder(live("/whoami")).header("X-Forwarded-Proto", "https"));
        assertThat(JSON.readTree(spoofed.body()).path("secure").asBoolean()).as("nginx overwrites a client's claim").isFalse();
    }

    @Test
    void theCsrfFormRoundTripsOverHttp() throws Exception {
        String text = "form-" + UUID.randomUUID();
        var form = send(HttpRequest.newBuilder(live("/contact")));
        assertThat(form.statusCode()).isEqualTo(200);
        String cookie = form.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("csrftoken="))
                .findFirst().orElseThrow().split(";", 2)[0];
        Matcher token = Pattern.compile("name=\"csrfmiddlewaretoken\" value=\"([^\"]+)\"").matcher(form.body());
        assertThat(token.find()).as(form.body()).isTrue();

        var refused = send(post("/contact", "text=" + text).header("Cookie", cookie));
        var saved = send(post("/contact", "text=" + URLEncoder.encode(text, StandardCharsets.UTF_8)
                + "&csrfmiddlewaretoken=" + token.group(1)).header("Cookie", cookie).header("Referer", live("/contact").toString()));

        assertThat(refused.statusCode()).as("no token: Django's CSRF check is on").isEqualTo(403);
        assertThat(saved.statusCode()).as(saved.body()).isEqualTo(303);
        assertThat(saved.headers().firstValue("Location")).contains("/contact");
        assertThat(send(HttpRequest.newBuilder(live("/notes"))).body()).contains(text);
    }

    /** HTTPS as nginx forwards it: Django then also demands a same-origin Referer, and the form passes with one. */
    @Test
    void theCsrfFormRoundTripsWhenNginxSaysHttps() {
        String script = """
                set -e
                jar=$(mktemp); base=%s; proto='X-Forwarded-Proto: https'; host='Host: www.example.com'
                token=$(curl -s -c "$jar" -H "$proto" -H "$host" "$base/contact" | sed -n 's/.*name="csrfmiddlewaretoken" value="\\([^"]*\\)".*/\\1/p')
                post() { curl -s -o /dev/null -w '%%{http_code}' -b "$jar" -H "$proto" -H "$host" "$@" --data "text=over-https&csrfmiddlewaretoken=$token" "$base/contact"; }
                echo "with-referer=$(post -e https://www.example.com/contact)"
                echo "no-referer=$(post)"
                echo "http-referer=$(post -e http://www.example.com/contact)"
                """.formatted(BUILD_A);
        var run = stack.exec("web", "bash", "-c", script);

        assertThat(run.output()).as(run.output()).contains("with-referer=303", "no-referer=403", "http-referer=403");
    }

    private HttpRequest.Builder post(String path, String form) {
        return HttpRequest.newBuilder(live(path)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form));
    }
}
