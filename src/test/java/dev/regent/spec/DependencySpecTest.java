package dev.regent.spec;

import static dev.regent.spec.SpecTexts.parse;
import static dev.regent.spec.SpecTexts.valid;
import static dev.regent.spec.Fixtures.errorFor;
import static dev.regent.spec.Fixtures.errorsOf;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** spec.dependencies.index: read, absent by default, rejected by file:line:field, never shown with its credentials. */
class DependencySpecTest {
    private static final String HEADER = SpecTexts.ONE_BUILD_HOST;

    @Test
    void theIndexIsRead() {
        DesiredState state = valid(HEADER + "  dependencies:\n    index: https://deploy:s3cret@pypi.example.org/simple/\n");

        assertThat(state.dependencies().index()).contains("https://deploy:s3cret@pypi.example.org/simple/");
        assertThat(state.dependencies().toString()).doesNotContain("s3cret");
        assertThat(state.toString()).doesNotContain("s3cret");
        assertThat(state.lineOf("spec.dependencies.index")).isEqualTo(9);
    }

    @Test
    void absentMeansOffline() {
        assertThat(valid(HEADER).dependencies()).isEqualTo(DependencySpec.NONE);
        assertThat(valid(HEADER + "  dependencies: {}\n").dependencies().index()).isEmpty();
        assertThat(valid(HEADER + "  dependencies: {index: \"http://127.0.0.1:8765/simple\"}\n").dependencies().index())
                .isEqualTo(Optional.of("http://127.0.0.1:8765/simple"));
    }

    @Test
    void badValuesAreRejectedNamingTheFieldAndItsLine() {
        for (String bad : List.of("ftp://mirror.example.org/simple/", "pypi.org/simple", "https:///simple",
                "\"https://pypi.org/simple/ x\"", "https://pypi.org/simple/#frag", "~")) {
            List<SpecError> errors = errorsOf(parse(HEADER + "  dependencies:\n    index: " + bad + "\n"));

            assertThat(errorFor(errors, "spec.dependencies.index").line()).as(bad).isEqualTo(9);
        }
        assertThat(errorFor(errorsOf(parse(HEADER + "  dependencies:\n    index: ftp://x/\n")), "spec.dependencies.index")
                .message()).contains("must be an http(s) URL of a PEP 503 simple index");
        assertThat(errorsOf(parse(HEADER + "  dependencies:\n    indexUrl: https://pypi.org/simple/\n")))
                .anySatisfy(e -> assertThat(e.toString()).contains("unknown field \"indexUrl\"").contains("index"));
        assertThat(errorsOf(parse(HEADER + "  dependencies: https://pypi.org/simple/\n")))
                .anySatisfy(e -> assertThat(e.field()).isEqualTo("spec.dependencies"));
    }

    @Test
    void aRejectedUrlIsNotRepeatedWithItsPassword() {
        List<SpecError> errors = errorsOf(parse(HEADER + "  dependencies:\n    index: ftp://deploy:s3cret@mirror/simple/\n"));

        assertThat(errorFor(errors, "spec.dependencies.index").message()).doesNotContain("s3cret").contains("ftp://***@mirror");
    }
}
