package dev.regent.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** SafeYaml's limits at their edges, and where an unclosed collection is shown. */
class SafeYamlLimitsTest {
    private static final Path FILE = Path.of("desired-state.yaml");

    private static SafeYaml.Result compose(String text) {
        return SafeYaml.compose(FILE, text);
    }

    private static SpecError onlyError(String text) {
        SafeYaml.Result result = compose(text);
        assertThat(result).isInstanceOf(SafeYaml.Failed.class);
        List<SpecError> errors = ((SafeYaml.Failed) result).errors();
        assertThat(errors).hasSize(1);
        return errors.get(0);
    }

    /** {@code levels} nested flow sequences under a top-level key: the mapping is level 1. */
    private static String nested(int levels) {
        return "x: " + "[".repeat(levels - 1) + "]".repeat(levels - 1) + "\n";
    }

    @Test
    void nestingIsAllowedUpToTheLimitAndRefusedBeyondIt() {
        assertThat(compose(nested(SafeYaml.MAX_NESTING_DEPTH))).isInstanceOf(SafeYaml.Composed.class);

        SpecError error = onlyError(nested(SafeYaml.MAX_NESTING_DEPTH + 1));

        assertThat(error.message()).isEqualTo("nesting is too deep; at most 32 levels are allowed");
        assertThat(error.line()).isEqualTo(1);
        assertThat(error.column()).isEqualTo(4 + SafeYaml.MAX_NESTING_DEPTH - 1);
    }

    @Test
    void aliasesToCollectionsAreAllowedUpToTheLimitAndRefusedBeyondIt() {
        String anchor = "base: &b {ref: HEAD}\nuses:\n";
        String allowed = anchor + "  - *b\n".repeat(SafeYaml.MAX_ALIASES_FOR_COLLECTIONS);
        assertThat(compose(allowed)).isInstanceOf(SafeYaml.Composed.class);

        SpecError error = onlyError(allowed + "  - *b\n");

        assertThat(error.message()).startsWith("too many aliases (*name) to collections; at most 20 are allowed");
        assertThat(error.line()).isEqualTo(3 + SafeYaml.MAX_ALIASES_FOR_COLLECTIONS);
        assertThat(error.field()).isEqualTo("uses");
    }

    @Test
    void aliasesToTextDoNotCountAsAliasesToCollections() {
        String text = "name: &n a\nuses:\n" + "  - *n\n".repeat(SafeYaml.MAX_ALIASES_FOR_COLLECTIONS * 2);

        assertThat(compose(text)).isInstanceOf(SafeYaml.Composed.class);
    }

    @Test
    void aSecondDocumentIsShownWhereItStartsAndNamesNoField() {
        SpecError error = onlyError("a: b\nc: d\n---\ne: f\n");

        assertThat(error.message())
                .isEqualTo("invalid YAML: the file must hold a single YAML document, but a second one starts here");
        assertThat(error.line()).isEqualTo(3);
        assertThat(error.field()).isEmpty();
    }

    @Test
    void aFlowCollectionLeftOpenToTheEndIsShownWhereItOpens() {
        SpecError sequence = onlyError("spec:\n  live: [a, b\n\n");
        SpecError mapping = onlyError("spec:\n  live: {a: b");

        assertThat(List.of(sequence, mapping)).allSatisfy(error -> {
            assertThat(error.line()).isEqualTo(2);
            assertThat(error.column()).isEqualTo(9);
            assertThat(error.field()).isEqualTo("spec.live");
            assertThat(error.message()).startsWith("invalid YAML: ").contains("that starts at line 2");
        });
    }

    @Test
    void aSyntaxErrorInsideTheFileIsShownWhereItIs() {
        SpecError error = onlyError("spec:\n  live: [a, b}\n  stage: c\n");

        assertThat(error.line()).isEqualTo(2);
        assertThat(error.column()).isEqualTo(14);
        assertThat(error.message()).contains("flow sequence that starts at line 2");
    }
}
