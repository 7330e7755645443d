package dev.regent.apply;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code build.ini} in each build folder, read by both uWSGI skeletons: the values that differ per
 * build. The one place that writes and reads its format.
 */
public record BuildIni(int port, String wsgiModule) {
    public static final String FILE = "build.ini";
    private static final String PORT = "regent_port";
    private static final String WSGI = "regent_wsgi";

    public String render() {
        return String.format(Locale.ROOT, "[uwsgi]\n%s = %d\n%s = %s\n", PORT, port, WSGI, wsgiModule);
    }

    /** The build.ini of a build folder, or empty when it is missing or lacks a value. */
    public static Optional<BuildIni> read(Path folder) {
        try {
            return parse(Files.readString(folder.resolve(FILE)));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    static Optional<BuildIni> parse(String ini) {
        Map<String, String> values = new HashMap<>();
        ini.lines().map(String::strip).filter(l -> l.contains("=")).forEach(line -> {
            int eq = line.indexOf('=');
            values.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
        });
        try {
            return Optional.ofNullable(values.get(WSGI)).filter(w -> !w.isEmpty())
                    .flatMap(wsgi -> Optional.ofNullable(values.get(PORT)).map(p -> new BuildIni(Integer.parseInt(p), wsgi)));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
