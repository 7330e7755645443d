package dev.regent.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.regent.fs.HostFiles;
import dev.regent.traffic.TrafficWindow;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * GET /api/traffic?minutes=N (1..15, default 15): {"step": 5, "builds": {"a": [{"t", "rps",
 * "errorRate", "p99"}, ...]}}, t the step's start in epoch seconds, p99 in ms (0 in a step without
 * requests), oldest first.
 */
final class TrafficApi {
    static final int MAX_MINUTES = (int) TrafficWindow.SPAN.toMinutes();

    private TrafficApi() {
    }

    record Answer(int status, String type, byte[] body) {
        static Answer text(int status, String text) {
            return new Answer(status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
        }
    }

    static Answer answer(String method, String path, String query, TrafficWindow window) throws JsonProcessingException {
        if (!path.equals("/api/traffic")) {
            return Answer.text(404, "not found\n");
        }
        if (!method.equals("GET")) {
            return Answer.text(405, "use GET\n");
        }
        Optional<Integer> minutes = minutes(query);
        if (minutes.isEmpty()) {
            return Answer.text(400, "minutes must be a whole number from 1 to " + MAX_MINUTES + "\n");
        }
        ObjectNode json = HostFiles.JSON.createObjectNode();
        json.put("step", TrafficWindow.STEP_SECONDS);
        json.set("builds", HostFiles.JSON.valueToTree(window.series(minutes.get())));
        return new Answer(200, "application/json",
                HostFiles.JSON.writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(json));
    }

    static Optional<Integer> minutes(String query) {
        if (query == null || query.isEmpty()) {
            return Optional.of(MAX_MINUTES);
        }
        Optional<Integer> minutes = Optional.of(MAX_MINUTES);
        for (String pair : query.split("&")) {
            if (pair.startsWith("minutes=")) {
                try {
                    int value = Integer.parseInt(pair.substring("minutes=".length()));
                    minutes = value >= 1 && value <= MAX_MINUTES ? Optional.of(value) : Optional.empty();
                } catch (NumberFormatException e) {
                    minutes = Optional.empty();
                }
            }
        }
        return minutes;
    }
}
