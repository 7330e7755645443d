package dev.regent.site;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** RFC 6125 matching as browsers do it: exact names, and a wildcard for exactly one left-most label. */
class HostNamesTest {

    @ParameterizedTest(name = "{0} covers {1}: {2}")
    @CsvSource({
            "www.example.com, www.example.com, true",
            "WWW.Example.COM, www.example.com., true",
            "www.example.com, example.com, false",
            "*.example.com, www.example.com, true",
            "*.example.com, WWW.EXAMPLE.COM, true",
            "*.example.com, example.com, false",
            "*.example.com, a.b.example.com, false",
            "*.example.com, .example.com, false",
            "w*.example.com, www.example.com, false",
            "*.*.example.com, a.b.example.com, false",
            "*., a., false",
            "*.bücher.example, shop.xn--bcher-kva.example, true",
    })
    void covers(String dnsName, String host, boolean covered) {
        assertThat(HostNames.covers(dnsName, host)).isEqualTo(covered);
    }

    @Test
    void uncoveredKeepsTheWantedOrder() {
        assertThat(HostNames.uncovered(List.of("*.example.com", "example.com"),
                List.of("c.d.example.com", "www.example.com", "example.com", "other.org")))
                .containsExactly("c.d.example.com", "other.org");
    }
}
