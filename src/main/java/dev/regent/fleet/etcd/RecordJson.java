package dev.regent.fleet.etcd;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.regent.fleet.FleetUnavailable;
import io.etcd.jetcd.ByteSequence;

import java.nio.charset.StandardCharsets;

/**
 * The JSON of the values kept in etcd (HostRecord, Halt, MigrationRun): instants as ISO-8601
 * text, absent optionals as null, unknown fields ignored so a newer Regent's records still read.
 */
final class RecordJson {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .registerModule(new Jdk8Module())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private RecordJson() {
    }

    static ByteSequence write(Object value) {
        try {
            return ByteSequence.from(MAPPER.writeValueAsBytes(value));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not writable as JSON: " + value, e);
        }
    }

    /** A value that does not read is reported as the store being unusable: nothing is decided on it. */
    static <T> T read(ByteSequence json, Class<T> type) throws FleetUnavailable {
        try {
            return MAPPER.readValue(json.getBytes(), type);
        } catch (java.io.IOException e) {
            throw new FleetUnavailable("unreadable " + type.getSimpleName() + " in the fleet store: "
                    + json.toString(StandardCharsets.UTF_8), e);
        }
    }
}
