package dev.regent.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SpecChecksTest {
    private static final String TEXT = """
            apiVersion: regent/v1
            kind: Host
            metadata: {name: demo}
            spec:
              source: {repo: ., path: app}
              builds:
                a: {ref: HEAD}
                b: {ref: main}
                c:
                  ref: feature
              live: a
            """;

    private static DesiredState state() {
        return ((LoadResult.Valid) SpecLoader.parse(Path.of("desired-state.yaml"), TEXT)).state();
    }

    @Test
    void unchangedRefsAndNewBuildsPass() {
        assertThat(SpecChecks.againstRecorded(state(), Map.of("a", "HEAD", "b", "main"), Map.of())).isEmpty();
        assertThat(SpecChecks.againstRecorded(state(), Map.of(), Map.of())).isEmpty();
        assertThat(SpecChecks.againstRecorded(state(), Map.of("x", "anything"), Map.of())).isEmpty();
    }

    @Test
    void aChangedRefIsReportedAtTheRefLineWithCommitAndAFreeName() {
        List<SpecError> errors = SpecChecks.againstRecorded(state(), Map.of("a", "HEAD", "c", "main"),
                Map.of("c", "1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b"));

        assertThat(errors).hasSize(1);
        SpecError error = errors.get(0);
        assertThat(error.field()).isEqualTo("spec.builds.c.ref");
        assertThat(error.line()).isEqualTo(10);
        assertThat(error.message()).isEqualTo("build c was built from ref \"main\" (commit 1a2b3c4); builds are"
                + " immutable: add a new build (e.g. \"d\") for ref \"feature\"");
        assertThat(error.toString()).startsWith("desired-state.yaml:10:1: spec.builds.c.ref: build c was built");
    }

    @Test
    void suggestionsSkipNamesOnTheHostAndDifferPerError() {
        List<SpecError> errors = SpecChecks.againstRecorded(state(),
                Map.of("a", "v1", "b", "v2", "d", "old"), Map.of());

        assertThat(errors).extracting(SpecError::field).containsExactly("spec.builds.a.ref", "spec.builds.b.ref");
        assertThat(errors.get(0).message()).doesNotContain("commit").contains("(e.g. \"e\") for ref \"HEAD\"");
        assertThat(errors.get(1).message()).contains("(e.g. \"f\") for ref \"main\"");
        assertThat(errors).extracting(SpecError::line).containsExactly(7, 8);
    }
}
