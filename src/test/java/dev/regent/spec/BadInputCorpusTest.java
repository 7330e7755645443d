package dev.regent.spec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.regent.e2e.BadInputs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/** The bad-input corpus through the loader alone; BadInputCorpusE2E feeds it to the real jar on a real stack. */
class BadInputCorpusTest {
    @TempDir
    Path dir;

    @TestFactory
    Stream<DynamicTest> eachBadInputIsRejectedAtItsLineAndField() {
        return BadInputs.entries().stream().map(entry -> DynamicTest.dynamicTest(entry.name(), () -> {
            Path file = dir.resolve("desired-state.yaml");
            Files.write(file, BadInputs.bytes(entry, "demo"));

            LoadResult result = SpecLoader.load(file);

            assertThat(result).as(entry.name()).isInstanceOf(LoadResult.Invalid.class);
            List<SpecError> errors = ((LoadResult.Invalid) result).errors();
            assertThat(errors).as(entry.name()).anySatisfy(error -> {
                assertThat(error.file()).isEqualTo(file);
                assertThat(error.line()).isEqualTo(entry.line());
                assertThat(error.field()).isEqualTo(entry.field());
                assertThat(error.message()).contains(entry.fragment()).doesNotContain("Exception");
            });
        }));
    }
}
