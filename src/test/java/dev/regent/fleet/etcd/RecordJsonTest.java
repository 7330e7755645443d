package dev.regent.fleet.etcd;

import dev.regent.fleet.FleetUnavailable;
import dev.regent.fleet.Halt;
import dev.regent.fleet.HostRecord;
import io.etcd.jetcd.ByteSequence;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RecordJsonTest {

    @Test
    void aHostRecordReadsBackEqualWithItsOptionalsAndInstant() throws Exception {
        HostRecord record = new HostRecord("web1", "rev-1", Optional.of("b"), Optional.empty(),
                HostRecord.State.MOVING, "moves live to b", Instant.parse("2026-12-06T10:00:00.123456789Z"));

        ByteSequence json = RecordJson.write(record);

        assertThat(json.toString(StandardCharsets.UTF_8)).contains("\"at\":\"2026-12-06T10:00:00.123456789Z\"");
        assertThat(RecordJson.read(json, HostRecord.class)).isEqualTo(record);
    }

    @Test
    void fieldsItDoesNotKnowAreIgnored() throws Exception {
        ByteSequence json = ByteSequence.from("{\"revision\":\"r\",\"host\":\"web2\",\"reason\":\"x\","
                + "\"at\":\"2026-12-06T10:00:00Z\",\"severity\":\"high\"}", StandardCharsets.UTF_8);

        assertThat(RecordJson.read(json, Halt.class)).isEqualTo(new Halt("r", "web2", "x", Instant.parse("2026-12-06T10:00:00Z")));
    }

    @Test
    void anUnreadableValueIsReportedAsAnUnusableStore() {
        assertThatThrownBy(() -> RecordJson.read(ByteSequence.from("not json", StandardCharsets.UTF_8), Halt.class))
                .isInstanceOf(FleetUnavailable.class).hasMessageContaining("not json");
    }
}
