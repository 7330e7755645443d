package dev.regent.spec;

import static dev.regent.spec.SpecTexts.parse;
import static dev.regent.spec.SpecTexts.valid;
import static dev.regent.spec.Fixtures.errorFor;
import static dev.regent.spec.Fixtures.errorsOf;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** spec.strategy: socket (the default) or reload. */
class StrategySpecTest {
    private static final String HEADER = """
            apiVersion: regent/v1
            kind: Host
            metadata: {name: demo}
            spec:
              source: {repo: ., path: app}
              builds: {a: {ref: HEAD}, b: {ref: HEAD}}
              live: a
              stage: b
            """;

    @Test
    void reloadParsesToReload() {
        DesiredState state = valid(HEADER + "  strategy: reload\n");

        assertThat(state.strategy()).isEqualTo(Strategy.RELOAD);
        assertThat(state.lineOf("spec.strategy")).isEqualTo(9);
    }

    @Test
    void socketParsesToSocket() {
        assertThat(valid(HEADER + "  strategy: socket\n").strategy()).isEqualTo(Strategy.SOCKET);
    }

    @Test
    void absentStrategyIsSocket() {
        assertThat(valid(HEADER).strategy()).isEqualTo(Strategy.SOCKET);
        assertThat(Fixtures.valid("valid.yaml").strategy()).isEqualTo(Strategy.SOCKET);
        assertThat(Fixtures.valid("minimal.yaml").strategy()).isEqualTo(Strategy.SOCKET);
    }

    @Test
    void anUnknownStrategyIsRejectedNamingTheFieldAndItsLine() {
        List<SpecError> errors = errorsOf(parse(HEADER + "  strategy: fast\n"));

        assertThat(errors).hasSize(1);
        SpecError error = errorFor(errors, "spec.strategy");
        assertThat(error.line()).isEqualTo(9);
        assertThat(error.toString()).contains("desired-state.yaml:9:").contains(": spec.strategy: ");
        assertThat(error.message()).contains("\"fast\"").contains("socket").contains("reload");
    }

    @Test
    void strategyWordsAreExactAndRoundTrip() {
        for (Strategy strategy : Strategy.values()) {
            assertThat(Strategy.of(strategy.word())).contains(strategy);
            assertThat(Strategy.problem(strategy.word())).isEmpty();
        }
        assertThat(Strategy.of("RELOAD")).isEmpty();
        assertThat(Strategy.problem("Socket")).isPresent();
        assertThat(errorsOf(parse(HEADER + "  strategy: Reload\n"))).singleElement()
                .satisfies(e -> assertThat(e.field()).isEqualTo("spec.strategy"));
    }

    @Test
    void aNonScalarStrategyIsRejected() {
        List<SpecError> errors = errorsOf(parse(HEADER + "  strategy: [socket]\n"));

        assertThat(errorFor(errors, "spec.strategy").line()).isEqualTo(9);
    }
}
