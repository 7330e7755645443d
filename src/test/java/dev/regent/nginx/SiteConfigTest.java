package dev.regent.nginx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.regent.spec.SiteSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** spec.site rendered as deploy/nginx/site.conf: what each field turns into, and what stays out. */
class SiteConfigTest {
    private static final SiteSpec.TlsSpec TLS = new SiteSpec.TlsSpec("deploy/secrets/tls/fullchain.pem",
            "deploy/secrets/tls/privkey.pem", Optional.empty());
    private static final List<String> LIVE = List.of("www.example.com", "example.com");
    private static final List<String> STAGE = List.of("stage.example.com");

    private static String render(SiteSpec site) {
        return SiteConfig.render(site).orElseThrow();
    }

    private static SiteSpec named(Optional<SiteSpec.TlsSpec> tls) {
        return new SiteSpec(LIVE, STAGE, tls, Optional.empty(), List.of());
    }

    /** The text of the server block that holds {@code marker}. */
    private static String server(String conf, String marker) {
        int at = conf.indexOf(marker);
        assertThat(at).as(marker).isNotNegative();
        int start = conf.lastIndexOf("server {", at);
        int end = conf.indexOf("\n}\n", at);
        return conf.substring(start, end + 2);
    }

    @Test
    void noSiteMeansNoFile() {
        assertThat(SiteConfig.render(SiteSpec.NONE)).isEmpty();
    }

    @Test
    void namesWithoutTlsServeEachRoleOnHttpLikeItsDefaultServer() {
        String conf = render(named(Optional.empty()));

        String live = server(conf, "server_name www.example.com example.com;");
        assertThat(live).contains("listen 8080;").doesNotContain("default_server")
                .contains("include /code/deploy/builds/_live/live*.conf;")
                .contains("location /static/ {\n        alias /code/deploy/assets/static/;\n"
                        + "        add_header Cache-Control \"public, max-age=31536000, immutable\";\n"
                        + "        add_header X-Request-ID $regent_request_id always;\n    }")
                .contains("location /media/ {\n        alias /code/deploy/assets/media/;\n    }")
                .contains("location /_regent/ {\n        return 404;\n    }")
                .as("the first certificate is obtained over HTTP").contains("location /.well-known/acme-challenge/ {\n"
                        + "        root /code/deploy/acme;\n    }");
        assertThat(server(conf, "server_name stage.example.com;")).contains("listen 8080;")
                .contains("include /code/deploy/builds/_stage/stage*.conf;");
        assertThat(conf).doesNotContain("8443").doesNotContain("ssl").doesNotContain("return 301")
                .doesNotContain("Strict-Transport-Security").doesNotContain("client_max_body_size")
                .doesNotContain("real_ip");
    }

    @Test
    void tlsRedirectsHttpExceptAcmeAndServesHttp2OnTheHttpsListener() {
        String conf = render(named(Optional.of(TLS)));

        String http = server(conf, "listen 8080;\n    server_name www.example.com example.com;");
        assertThat(http).contains("location /.well-known/acme-challenge/ {\n        root /code/deploy/acme;\n    }")
                .contains("return 301 https://$host$request_uri;").doesNotContain("include");
        String https = server(conf, "listen 8443 ssl http2 default_server;");
        assertThat(https).contains("server_name www.example.com example.com;")
                .contains("ssl_certificate /code/deploy/secrets/tls/fullchain.pem;")
                .contains("ssl_certificate_key /code/deploy/secrets/tls/privkey.pem;")
                .contains("include /code/deploy/builds/_live/live*.conf;")
                .contains("add_header Cache-Control \"public, max-age=31536000, immutable\";");
        assertThat(server(conf, "server_name stage.example.com;\n    ssl_certificate"))
                .contains("listen 8443 ssl http2;").contains("include /code/deploy/builds/_stage/stage*.conf;");
        assertThat(conf).containsOnlyOnce("default_server").contains("ssl_protocols TLSv1.2 TLSv1.3;")
                .contains("ssl_session_cache shared:regent_tls:10m;")
                .doesNotContain("Strict-Transport-Security").doesNotContain("http2 on");
    }

    @Test
    void hstsIsSentOnlyWhenConfiguredAndRepeatedWhereverAnotherHeaderIsAdded() {
        var hsts = new SiteSpec.TlsSpec(TLS.certificate(), TLS.key(), Optional.of(new SiteSpec.Hsts(31_536_000, true)));
        String conf = render(named(Optional.of(hsts)));

        String header = "add_header Strict-Transport-Security \"max-age=31536000; includeSubDomains\" always;";
        String https = server(conf, "listen 8443 ssl http2 default_server;");
        // Server level and /static/ (which adds Cache-Control, so inherits nothing), with the request id each time.
        assertThat(https.split(Pattern.quote(header), -1)).hasSize(3);
        assertThat(https.split(Pattern.quote("add_header X-Request-ID $regent_request_id always;"), -1)).hasSize(3);
        assertThat(server(conf, "listen 8080;\n    server_name www.example.com")).doesNotContain("Strict-Transport");
        var noSubDomains = new SiteSpec.TlsSpec(TLS.certificate(), TLS.key(), Optional.of(new SiteSpec.Hsts(600, false)));
        assertThat(render(named(Optional.of(noSubDomains))))
                .contains("add_header Strict-Transport-Security \"max-age=600\" always;");
    }

    @Test
    void bodySizeAndTrustedProxiesAreHttpLevel() {
        String conf = render(new SiteSpec(List.of(), List.of(), Optional.empty(), Optional.of("10m"),
                List.of("10.0.0.0/8", "2001:db8::/32")));

        assertThat(conf).contains("client_max_body_size 10m;\n")
                .contains("set_real_ip_from 10.0.0.0/8;\nset_real_ip_from 2001:db8::/32;\n"
                        + "real_ip_header X-Forwarded-For;\nreal_ip_recursive on;\n")
                .doesNotContain("server {");
    }

    @Test
    void onlyStageNamesLeaveNoLiveServer() {
        String conf = render(new SiteSpec(List.of(), STAGE, Optional.of(TLS), Optional.empty(), List.of()));

        assertThat(conf).doesNotContain("_live").doesNotContain("default_server").contains("_stage/stage*.conf");
    }

    @Test
    void theFileEndsWithALoopbackMarkerAnsweringItsIdentity() {
        String config = render(named(Optional.of(TLS)));
        String file = SiteConfig.file(config, Optional.of("f00d"));

        assertThat(file).startsWith(config);
        String marker = server(file, "server_name regent-site.invalid;");
        assertThat(marker).contains("listen 8080;").contains("location = /_regent/site {")
                .contains("if ($remote_addr != 127.0.0.1) {")
                .contains("return 200 \"config " + SiteConfig.sha256(config) + " certificate f00d\\n\";");
        assertThat(SiteConfig.identity(config, Optional.empty())).endsWith(" certificate -");
        assertThat(SiteConfig.file(config, Optional.of("beef"))).as("a renewed certificate changes the file")
                .isNotEqualTo(file);
        assertThat(SiteConfig.sha256("")).isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }

    /** The default servers in nginx.conf and the named ones serve the same paths the same way. */
    @Test
    void namedServersServeWhatTheDefaultServersServe() throws Exception {
        String main = Files.readString(Path.of("conf/nginx/nginx.conf"));
        String named = server(render(named(Optional.empty())), "server_name www.example.com example.com;");

        for (String line : List.of("root /code/conf/nginx/placeholder;", "alias /code/deploy/assets/static/;",
                "add_header Cache-Control \"public, max-age=31536000, immutable\";", "alias /code/deploy/assets/media/;",
                "location /_regent/ {", "include /code/deploy/builds/_live/live*.conf;")) {
            assertThat(main).as("nginx.conf").contains(line);
            assertThat(named).as("site.conf").contains(line);
        }
        assertThat(main).contains("include /code/deploy/nginx/site*.conf;").contains("error_log stderr notice;")
                .contains("$upstream_http_x_regent_build").contains("proxy_set_header X-Forwarded-For $remote_addr;")
                .contains("proxy_set_header X-Forwarded-Proto $regent_proto;").contains("proxy_set_header Host $regent_host;")
                .contains("proxy_set_header X-Request-ID $regent_request_id;")
                .contains("\"~^[A-Za-z0-9._-]{8,128}$\" $http_x_request_id;");
    }
}
