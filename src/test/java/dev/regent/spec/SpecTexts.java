package dev.regent.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

/** Loads a desired state given as text, as if read from desired-state.yaml. */
public final class SpecTexts {
    /** The smallest valid host file: one build, live; a field under spec can be appended at two spaces. */
    public static final String ONE_BUILD_HOST = """
            apiVersion: regent/v1
            kind: Host
            metadata: {name: demo}
            spec:
              source: {repo: ., path: app}
              builds: {a: {ref: HEAD}}
              live: a
            """;

    private SpecTexts() {
    }

    public static LoadResult parse(String text) {
        return SpecLoader.parse(Path.of("desired-state.yaml"), text);
    }

    /** The state the text describes; fails the test when the text is not valid. */
    public static DesiredState valid(String text) {
        LoadResult result = parse(text);
        assertThat(result).isInstanceOf(LoadResult.Valid.class);
        return ((LoadResult.Valid) result).state();
    }
}
