package dev.regent.server;

import dev.regent.fleet.FleetView;
import dev.regent.fs.HostFiles;
import dev.regent.fs.HostLayout;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * What a fleet host's loop last read of its fleet store, kept in deploy/run for the status API and
 * {@code regent status}: for host and the revision it applies, the store's view, or why the store
 * did not answer (then view is empty).
 */
public record FleetSighting(String host, String revision, Optional<FleetView> view, Optional<String> unavailable,
                            Instant at) {

    public static final String FILE = "fleet.json";

    public static Path file(HostLayout layout) {
        return layout.run().resolve(FILE);
    }

    public static Optional<FleetSighting> read(HostLayout layout) {
        return HostFiles.readJson(file(layout), FleetSighting.class);
    }

    /** Best effort: a sighting that could not be written leaves the previous one, which the status shows with its time. */
    public static void write(HostLayout layout, FleetSighting sighting) {
        try {
            HostFiles.writeJson(file(layout), sighting);
        } catch (UncheckedIOException e) {
            org.slf4j.LoggerFactory.getLogger("regent.fleet").warn("could not keep the fleet sighting: {}", e.getMessage());
        }
    }
}
