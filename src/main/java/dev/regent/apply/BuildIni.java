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
 * build, and the database URL the build's processes get. The one place that writes and reads its
 * format. {@code wsgiModule} is the module uWSGI loads ({@link BuildFiles#WSGI_MODULE} for builds
 * made now, which wraps the project's own). {@link #toString()} leaves the URL's password out.
 */
public record BuildIni(int port, String wsgiModule, Optional<String> databaseUrl) {
    public static final String FILE = "build.ini";
    private static final String PORT = "regent_port";
    private static final String WSGI = "regent_wsgi";

    public BuildIni(int port, String wsgiModule) {
        this(port, wsgiModule, Optional.empty());
    }

    public String render() {
        String ini = String.format(Locale.ROOT, "[uwsgi]\n%s = %d\n%s = %s\n", PORT, port, WSGI, wsgiModule);
        // uWSGI expands %x in option values (%% is a literal %): a percent-encoded password needs it.
        return ini + databaseUrl.map(url -> "env = " + BuildEnvironment.DATABASE_URL + "=" + url.replace("%", "%%") + "\n")
                .orElse("");
    }

    /** The build.ini of a build folder, or empty when it is missing or lacks a value. */
    public static Optional<BuildIni> read(Path folder) {
        try {
            return parse(Files.readString(folder.resolve(FILE)));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The port and module; the database URL is not read back (the environment supplies it). */
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

    @Override
    public String toString() {
        return "BuildIni[port=" + port + ", wsgiModule=" + wsgiModule + ", database=" + databaseUrl.isPresent() + "]";
    }
}
