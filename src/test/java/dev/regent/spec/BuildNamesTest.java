package dev.regent.spec;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BuildNamesTest {

    @Test
    void validNamesHaveNoProblem() {
        assertThat(BuildNames.problem("a")).isEmpty();
        assertThat(BuildNames.problem("aa")).isEmpty();
        assertThat(BuildNames.problem(BuildNames.name(6353))).isEmpty();
    }

    @Test
    void problemsSayWhy() {
        assertThat(BuildNames.problem("")).get().asString().contains("empty");
        assertThat(BuildNames.problem("_live")).get().asString().contains("lowercase letters only");
        assertThat(BuildNames.problem(BuildNames.name(6354))).get().asString().contains("65540");
        assertThat(BuildNames.problem("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")).get().asString()
                .contains("longer than 3 letters");
    }
}
