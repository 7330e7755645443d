package dev.regent.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LoggedRequestTest {

    @Test
    void readsALineOfTheRegentTrafficFormat() {
        assertThat(LoggedRequest.parse("1764337200.123 503 0.250 8080 b"))
                .contains(new LoggedRequest(1_764_337_200_123L, 503, 0.25, 8080, "b"));
    }

    @Test
    void theLastOfSeveralUpstreamsIsTheBuildThatAnswered() {
        assertThat(LoggedRequest.parse("1764337200.000 200 0.010 8081 a, b").map(LoggedRequest::build)).contains("b");
    }

    @Test
    void onlyA5xxIsAFailureA404IsNot() {
        var notFound = LoggedRequest.parse("1764337200.000 404 0.001 8080 a").orElseThrow();
        var failed = LoggedRequest.parse("1764337200.000 500 0.001 8080 a").orElseThrow();

        assertThat(notFound.failed()).isFalse();
        assertThat(notFound.statusClass()).isEqualTo("4xx");
        assertThat(failed.failed()).isTrue();
        assertThat(failed.statusClass()).isEqualTo("5xx");
    }

    @Test
    void anythingElseIsNoRequest() {
        for (String line : new String[] {"", "1764337200.000 200 0.001 8080", "1764337200.000 200 0.001 8080 ",
                "1764337200.000 200 0.001 8080 -", "1764337200.000 200 0.001 8080 A", "1764337200.000 200 0.001 8080 abcd",
                "1764337200.000 2000 0.001 8080 a", "1764337200.000 200 -1 8080 a", "1764337200.000 200 NaN 8080 a",
                "x 200 0.001 8080 a", "1764337200.000 200 0.001 port a",
                "127.0.0.1 - - [28/Nov/2026:14:00:00 +0000] \"GET / HTTP/1.1\" 200 12", "1764337200.0"}) {
            assertThat(LoggedRequest.parse(line)).as(line).isEmpty();
        }
    }
}
