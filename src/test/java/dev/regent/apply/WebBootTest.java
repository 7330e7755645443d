package dev.regent.apply;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WebBootTest {
    @Test
    void theStartTimeIsField22EvenWhenTheCommandNameHoldsSpacesAndParentheses() {
        String stat = "1 (tini (x) y) S 0 1 1 0 -1 4194560 436 0 0 0 0 0 0 0 20 0 1 0 987654 2400256 229 "
                + "18446744073709551615 1 1 0 0 0 0 0 4096 0 0 0 17 1 0 0 0 0 0\n";

        assertThat(WebBoot.startTime(stat)).hasValue("987654");
    }

    @Test
    void aTruncatedLineHasNoStartTime() {
        assertThat(WebBoot.startTime("1 (tini) S 0 1")).isEmpty();
        assertThat(WebBoot.startTime("")).isEmpty();
    }
}
