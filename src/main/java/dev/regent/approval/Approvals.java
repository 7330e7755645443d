package dev.regent.approval;

import com.fasterxml.jackson.databind.JsonNode;
import dev.regent.fs.HostFiles;
import dev.regent.fs.HostLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Reads deploy/run/approvals.json (a list of {build, commit, by, at}, or one such object). An
 * unreadable file reads as no approval: an approval only lets live move, it protects nothing.
 */
public final class Approvals {
    private Approvals() {
    }

    public static Path path(HostLayout layout) {
        return layout.run().resolve("approvals.json");
    }

    /** The newest approval of {@code build}, if any. */
    public static Optional<Approval> read(HostLayout layout, String build) {
        Path file = path(layout);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            JsonNode root = HostFiles.JSON.readTree(Files.readAllBytes(file));
            List<JsonNode> items = new ArrayList<>();
            JsonNode list = root.isObject() && root.has("approvals") ? root.get("approvals") : root;
            if (list.isArray()) {
                list.forEach(items::add);
            } else if (list.isObject()) {
                items.add(list);
            }
            List<Approval> found = new ArrayList<>();
            for (JsonNode item : items) {
                Approval approval = HostFiles.JSON.treeToValue(item, Approval.class);
                if (approval != null && build.equals(approval.build())) {
                    found.add(approval);
                }
            }
            return found.stream().filter(a -> a.at() != null).max(Comparator.comparing(Approval::at))
                    .or(() -> found.stream().findFirst());
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
