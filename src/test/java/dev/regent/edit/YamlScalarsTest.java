package dev.regent.edit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class YamlScalarsTest {

    @ParameterizedTest
    @ValueSource(strings = {"HEAD", "main", "feature/login", "HEAD~1", "HEAD^2", "v1.2.3", "release-2024", "a"})
    void plainWhenEveryReaderSeesAString(String value) {
        assertThat(YamlScalars.format(value)).isEqualTo(value);
    }

    @ParameterizedTest
    @ValueSource(strings = {"yes", "Yes", "no", "on", "OFF", "y", "n", "true", "False", "null", "~", "1.10", "12",
        "1e3", "0x1F", "0o17", ".inf", "1a2b3c4", "HEAD@{1}", "a: b", "#x", "", "-x", "<<", "="})
    void quotedWhenSomeReaderWouldMisreadIt(String value) {
        assertThat(YamlScalars.format(value)).isEqualTo("\"" + value + "\"");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"a\"b|\"a\\\"b\"", "a\\b|\"a\\\\b\""})
    void escapesQuotesAndBackslashes(String value, String expected) {
        assertThat(YamlScalars.format(value)).isEqualTo(expected);
    }
}
