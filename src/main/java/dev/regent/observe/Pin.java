package dev.regent.observe;

import dev.regent.fs.FileRead;
import dev.regent.fs.HostFiles;
import dev.regent.fs.HostLayout;
import dev.regent.traffic.Figures;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * A rolled-back build, one entry of deploy/run/rollbacks.json: while the desired live is {@code build},
 * live is held at {@code from} (the build it was rolled back to); the first desired state whose live is
 * another build releases it. {@code revision} made {@code build} live; {@code figures}: what it served
 * while it was judged.
 */
public record Pin(String build, String revision, String from, String reason, Figures figures, Instant at) {

    public static Path path(HostLayout layout) {
        return layout.run().resolve("rollbacks.json");
    }

    /** The pins on the host; a file that exists but cannot be read is reported, since pins hold live back. */
    public static FileRead<List<Pin>> read(HostLayout layout) {
        FileRead<Pin[]> read = HostFiles.read(path(layout), Pin[].class);
        if (read instanceof FileRead.Present<Pin[]> present) {
            return new FileRead.Present<>(List.of(present.value()));
        }
        return read instanceof FileRead.Unreadable<Pin[]> u ? new FileRead.Unreadable<>(u.file(), u.error())
                : new FileRead.Absent<>();
    }

    public static void write(HostLayout layout, List<Pin> pins) {
        HostFiles.writeJson(path(layout), pins.toArray(Pin[]::new));
    }

    /** The pins on the host with {@code pin} in place of any on the same build. */
    public static List<Pin> with(List<Pin> pins, Pin pin) {
        var kept = new java.util.ArrayList<>(pins.stream().filter(p -> !p.build().equals(pin.build())).toList());
        kept.add(pin);
        return List.copyOf(kept);
    }

    public static List<Pin> without(List<Pin> pins, String build) {
        return pins.stream().filter(p -> !p.build().equals(build)).toList();
    }
}
