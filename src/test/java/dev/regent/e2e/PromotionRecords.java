package dev.regent.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** What Regent recorded of promotions in a stack's deploy/run: the last promotion and the rollback pins. */
final class PromotionRecords {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path run;

    PromotionRecords(Stack stack) {
        this.run = stack.root.resolve("deploy/run");
    }

    /** The last promotion (promotion.json: from, to, trigger, at, ...); empty while none is recorded. */
    Optional<JsonNode> last() {
        return read("promotion.json");
    }

    /** Whether the last promotion went to build. */
    boolean lastTo(String build) {
        return last().map(p -> p.path("to").asText().equals(build)).orElse(false);
    }

    /** Whether the last promotion was a rollback to build. */
    boolean rolledBackTo(String build) {
        return last().map(p -> p.path("to").asText().equals(build) && p.path("trigger").asText().equals("rollback")).orElse(false);
    }

    /** The rollback pin on build (rollbacks.json); empty while there is none. */
    Optional<JsonNode> pin(String build) {
        for (JsonNode pin : read("rollbacks.json").orElse(JSON.createArrayNode())) {
            if (pin.path("build").asText().equals(build)) {
                return Optional.of(pin);
            }
        }
        return Optional.empty();
    }

    private Optional<JsonNode> read(String name) {
        Path file = run.resolve(name);
        try {
            return Files.exists(file) ? Optional.of(JSON.readTree(file.toFile())) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
