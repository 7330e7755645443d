package dev.regent.spec;

import static dev.regent.spec.Fixtures.errorFor;
import static dev.regent.spec.Fixtures.errorsOf;
import static dev.regent.spec.SpecTexts.parse;
import static dev.regent.spec.SpecTexts.valid;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** spec.site: read into a SiteSpec, absent by default, every rejected value named by field and line. */
class SiteSpecTest {
    private static final String HEADER = SpecTexts.ONE_BUILD_HOST + "  site:\n";

    private static List<SpecError> errors(String site) {
        return errorsOf(parse(HEADER + site));
    }

    @Test
    void everyFieldIsRead() {
        DesiredState state = valid(HEADER + """
                    live: [www.example.com, example.com]
                    stage: ["*.stage.example.com"]
                    tls:
                      certificate: deploy/secrets/tls/fullchain.pem
                      key: deploy/secrets/tls/privkey.pem
                      hsts: {maxAge: 365d, includeSubDomains: true}
                    clientMaxBodySize: 10m
                    trustedProxies: [10.0.0.0/8, 192.0.2.7, "2001:db8::/32"]
                """);

        assertThat(state.site()).isEqualTo(new SiteSpec(List.of("www.example.com", "example.com"),
                List.of("*.stage.example.com"),
                Optional.of(new SiteSpec.TlsSpec("deploy/secrets/tls/fullchain.pem", "deploy/secrets/tls/privkey.pem",
                        Optional.of(new SiteSpec.Hsts(365L * 86400, true)))),
                Optional.of("10m"), List.of("10.0.0.0/8", "192.0.2.7", "2001:db8::/32")));
        assertThat(state.lineOf("spec.site.tls.hsts.maxAge")).isEqualTo(14);
    }

    @Test
    void absentOrEmptyMeansNoSite() {
        String withoutSite = HEADER.replace("  site:\n", "");
        assertThat(valid(withoutSite).site()).isEqualTo(SiteSpec.NONE);
        assertThat(valid(HEADER).site()).isEqualTo(SiteSpec.NONE);
        assertThat(valid(withoutSite + "  site: {}\n").site()).isEqualTo(SiteSpec.NONE);
        SiteSpec plain = valid(withoutSite + "  site: {live: [example.com]}\n").site();
        assertThat(plain.tls()).isEmpty();
        assertThat(plain.named()).isTrue();
    }

    @Test
    void hstsMaxAgeTakesSecondsOrOneUnit() {
        for (var c : List.of(List.of("31536000", 31_536_000L), List.of("26w", 26L * 7 * 86400), List.of("6m", 360L),
                List.of("1y", 365L * 86400), List.of("0", 0L), List.of("12h", 43_200L))) {
            DesiredState state = valid(HEADER + "    live: [example.com]\n    tls: {certificate: c.pem, key: k.pem, hsts: {maxAge: "
                    + c.get(0) + "}}\n");
            assertThat(state.site().tls().orElseThrow().hsts().orElseThrow().maxAgeSeconds()).as("%s", c.get(0)).isEqualTo(c.get(1));
        }
    }

    @Test
    void badHostNamesAreRejectedAtTheirLine() {
        for (String bad : List.of("-bad.example.com", "exa_mple.com", "www.example.com.", "\"*\"", "\"a.*.example.com\"",
                "WWW.Example.com", "\"a b.com\"", "\"x;y\"", "\"\"", "~", "[a]", "\"" + "a".repeat(64) + ".com\"")) {
            List<SpecError> errors = errors("    live: [ok.example.com, " + bad + "]\n");

            assertThat(errorFor(errors, "spec.site.live[1]").line()).as(bad).isEqualTo(9);
        }
        assertThat(errorFor(errors("    live: [Example.com]\n"), "spec.site.live[0]").message()).contains("lowercase");
    }

    @Test
    void aNameIsListedOnceAcrossBothRoles() {
        List<SpecError> errors = errors("    live: [example.com]\n    stage:\n      - stage.example.com\n      - example.com\n");

        SpecError twice = errorFor(errors, "spec.site.stage[1]");
        assertThat(twice.line()).isEqualTo(12);
        assertThat(twice.message()).contains("\"example.com\" is listed twice (first at line 9)");
        assertThat(errorFor(errors("    live: [a.example.com, a.example.com]\n"), "spec.site.live[1]").message())
                .contains("listed twice");
    }

    @Test
    void tlsNeedsANameAndBothFilesInsideTheProject() {
        SpecError nameless = errorFor(errors("    tls: {certificate: c.pem, key: k.pem}\n"), "spec.site.tls");
        assertThat(nameless.line()).isEqualTo(9);
        assertThat(nameless.message()).contains("tls needs host names");
        assertThat(errorFor(errors("    live: []\n    tls: {certificate: c.pem, key: k.pem}\n"), "spec.site.tls").line())
                .isEqualTo(10);

        for (String bad : List.of("/etc/ssl/cert.pem", "../outside.pem", "deploy/../../x.pem", "deploy//x.pem",
                "./x.pem", "\"a b.pem\"", "\"x.pem;\"", "\"$x.pem\"", "\"\"")) {
            List<SpecError> errors = errors("    live: [example.com]\n    tls:\n      certificate: " + bad
                    + "\n      key: k.pem\n");
            assertThat(errorFor(errors, "spec.site.tls.certificate").line()).as(bad).isEqualTo(11);
        }
        assertThat(errorFor(errors("    live: [example.com]\n    tls: {certificate: ../c.pem, key: k.pem}\n"),
                "spec.site.tls.certificate").message()).contains("must not contain ..");
        assertThat(errorFor(errors("    live: [example.com]\n    tls: {key: /k.pem}\n"), "spec.site.tls.key").message())
                .contains("must be relative to the project root");
        assertThat(errors("    live: [example.com]\n    tls: {key: k.pem}\n"))
                .anySatisfy(e -> assertThat(e.message()).contains("missing required field \"certificate\""));
    }

    @Test
    void badSizesDurationsAndProxiesAreRejectedAtTheirLine() {
        String named = "    live: [example.com]\n";
        for (String bad : List.of("10mb", "1.5m", "-1", "m", "10 m", "~", "1t")) {
            assertThat(errorFor(errors(named + "    clientMaxBodySize: " + bad + "\n"), "spec.site.clientMaxBodySize")
                    .line()).as(bad).isEqualTo(10);
        }
        for (String bad : List.of("1d12h", "365 d", "1.5y", "forever", "-5", "11y", "99999999999")) {
            assertThat(errorFor(errors(named + "    tls:\n      certificate: c.pem\n      key: k.pem\n      hsts: {maxAge: "
                    + bad + "}\n"), "spec.site.tls.hsts.maxAge").line()).as(bad).isEqualTo(13);
        }
        for (String bad : List.of("10.0.0.0/33", "256.1.1.1", "10.0.0.1/", "lb.example.com", "10.0.0", "\"::1/129\"",
                "\"2001:db8::g\"", "010.0.0.1", "\"10.0.0.0/8 \"")) {
            assertThat(errorFor(errors(named + "    trustedProxies:\n      - 127.0.0.1\n      - " + bad + "\n"),
                    "spec.site.trustedProxies[1]").line()).as(bad).isEqualTo(12);
        }
        assertThat(errors(named + "    hsts: {maxAge: 1d}\n"))
                .anySatisfy(e -> assertThat(e.toString()).contains("unknown field \"hsts\""));
        assertThat(errors(named + "    tls: {certificate: c.pem, key: k.pem, hsts: {includeSubDomains: true}}\n"))
                .anySatisfy(e -> assertThat(e.message()).contains("missing required field \"maxAge\""));
    }
}
