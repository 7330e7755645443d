package dev.regent.edit;

import static dev.regent.edit.DesiredStateEditorTest.fixture;
import static org.assertj.core.api.Assertions.assertThat;

import dev.regent.spec.LoadResult;
import dev.regent.spec.SpecLoader;
import java.nio.file.Path;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Mangled files give errors or refusals, never exceptions, and edits of valid files stay valid. */
class RobustnessTest {
    private static final String NOISE = " \n\t:-{}[],#&*!|>'\"%@`?~\\\u00e9\uD83D\uDE80ab1";

    private static String mangle(String text, Random random) {
        StringBuilder out = new StringBuilder(text);
        int edits = 1 + random.nextInt(4);
        for (int i = 0; i < edits; i++) {
            int at = random.nextInt(out.length());
            switch (random.nextInt(3)) {
                case 0 -> out.deleteCharAt(at);
                case 1 -> out.insert(at, NOISE.charAt(random.nextInt(NOISE.length())));
                default -> out.setCharAt(at, NOISE.charAt(random.nextInt(NOISE.length())));
            }
        }
        return out.toString();
    }

    @Test
    void mangledFilesNeverThrow() {
        Random random = new Random(20240611);
        String original = fixture("editable.yaml");
        int valid = 0;
        for (int i = 0; i < 3000; i++) {
            String text = mangle(original, random);
            LoadResult result = SpecLoader.parse(Path.of("desired-state.yaml"), text);
            if (result instanceof LoadResult.Invalid invalid) {
                assertThat(invalid.errors()).allSatisfy(e -> {
                    assertThat(e.line()).isPositive();
                    assertThat(e.column()).isPositive();
                });
                continue;
            }
            valid++;
            for (UnaryOperator<String> edit : java.util.List.<UnaryOperator<String>>of(
                    t -> DesiredStateEditor.addBuild(t, "zz", "yes"),
                    t -> DesiredStateEditor.setActive(t, "b", false),
                    t -> DesiredStateEditor.removeBuild(t, "c"))) {
                try {
                    String edited = edit.apply(text);
                    LoadResult after = SpecLoader.parse(Path.of("desired-state.yaml"), edited);
                    // Only a role pointing at the edited build may break (SeedVerbs guards that).
                    if (after instanceof LoadResult.Invalid invalid) {
                        assertThat(invalid.errors()).as("edit of:%n%s%nproduced:%n%s", text, edited)
                                .allSatisfy(e -> assertThat(e.field()).matches("spec\\.(live|stage)"));
                    }
                } catch (EditException refused) {
                    assertThat(refused.getMessage()).isNotBlank();
                }
            }
        }
        assertThat(valid).isGreaterThan(300);
    }
}
