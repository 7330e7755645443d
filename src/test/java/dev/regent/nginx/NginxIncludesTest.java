package dev.regent.nginx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.regent.spec.BuildNames;
import dev.regent.spec.Strategy;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class NginxIncludesTest {

    private static String content(Strategy strategy, String build, String role) {
        return NginxIncludes.content(strategy, build, role, BuildNames.port(build));
    }

    @Test
    void socketIncludesAreTheSameForEveryBuildAndReachTheRoleThroughItsLink() {
        String liveA = content(Strategy.SOCKET, "a", NginxIncludes.LIVE);
        String liveB = content(Strategy.SOCKET, "b", NginxIncludes.LIVE);
        String stageA = content(Strategy.SOCKET, "a", NginxIncludes.STAGE);
        String stageB = content(Strategy.SOCKET, "b", NginxIncludes.STAGE);

        assertThat(liveA).as("moving _live between builds needs no reload").isEqualTo(liveB);
        assertThat(stageA).isEqualTo(stageB);
        assertThat(liveA).contains("proxy_pass http://unix:/code/deploy/builds/_live/router.sock:;")
                .contains("_live/router.sock").doesNotContain("web:");
        assertThat(stageA).contains("proxy_pass http://unix:/code/deploy/builds/_stage/router.sock:;")
                .doesNotContain("_live");
        assertThat(NginxIncludes.pinsBuild(liveA, NginxIncludes.LIVE)).isFalse();
    }

    @Test
    void reloadIncludesNameTheBuildsPort() {
        String liveB = content(Strategy.RELOAD, "b", NginxIncludes.LIVE);
        String stageB = content(Strategy.RELOAD, "b", NginxIncludes.STAGE);

        assertThat(liveB).contains("proxy_pass http://web:2010;").contains("web:2010").contains("build b");
        assertThat(stageB).contains("proxy_pass http://web:2010;");
        assertThat(liveB).as("moving _live between builds needs a reload")
                .isNotEqualTo(content(Strategy.RELOAD, "a", NginxIncludes.LIVE));
        assertThat(content(Strategy.RELOAD, "a", NginxIncludes.LIVE)).contains("web:2000");
        assertThat(liveB).isNotEqualTo(content(Strategy.SOCKET, "b", NginxIncludes.LIVE));
        assertThat(NginxIncludes.pinsBuild(liveB, NginxIncludes.LIVE)).isTrue();
    }

    @Test
    void includesAreOneLocationBlockThatLeavesTheForwardingHeadersToNginxConf() {
        for (Strategy strategy : Strategy.values()) {
            String conf = content(strategy, "c", NginxIncludes.STAGE);

            assertThat(conf.lines().findFirst()).hasValueSatisfying(l -> assertThat(l).startsWith("# "));
            assertThat(conf).containsOnlyOnce("location / {").endsWith("}\n");
            // One proxy_set_header here would stop the location inheriting nginx.conf's (X-Request-ID, ...).
            assertThat(conf).doesNotContain("proxy_set_header").doesNotContain("add_header").doesNotContain("%s");
        }
        assertThat(NginxIncludes.fileName(NginxIncludes.LIVE)).isEqualTo("live.conf");
        assertThat(NginxIncludes.fileName(NginxIncludes.STAGE)).isEqualTo("stage.conf");
    }

    /** Locale digits ("๒๐๒๐") in a port would make nginx reject the include. */
    @Test
    void portsAreAsciiDigitsWhateverTheDefaultLocale() {
        Locale saved = Locale.getDefault();
        Locale savedFormat = Locale.getDefault(Locale.Category.FORMAT);
        try {
            Locale.setDefault(Locale.forLanguageTag("th-TH-u-nu-thai"));

            assertThat(NginxIncludes.content(Strategy.RELOAD, "c", NginxIncludes.LIVE, 2020))
                    .contains("proxy_pass http://web:2020;");
        } finally {
            Locale.setDefault(saved);
            Locale.setDefault(Locale.Category.FORMAT, savedFormat);
        }
    }
}
