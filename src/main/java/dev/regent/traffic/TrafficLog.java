package dev.regent.traffic;

import dev.regent.fs.HostLayout;
import java.nio.file.Path;

/** Where nginx logs the builds' traffic (conf/nginx/nginx.conf, format regent_traffic). */
public final class TrafficLog {
    private TrafficLog() {
    }

    public static Path folder(HostLayout layout) {
        return layout.run().resolve("traffic");
    }

    public static Path file(HostLayout layout) {
        return folder(layout).resolve("access.log");
    }
}
