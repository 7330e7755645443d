package dev.regent.cli;

import dev.regent.spec.LoadResult;
import dev.regent.spec.SpecLoader;
import java.io.PrintStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * Options every command shares: where the project is, which desired-state file to use and, for a
 * fleet file, which of its hosts this is and where the fleet's etcd cluster answers.
 */
final class CommonOptions {
    @Option(names = "--root", description = "Project folder: holds deploy/, conf/ and the compose file (default: the desired-state file's folder).")
    Path root;

    @Option(names = {"-f", "--file"}, defaultValue = "desired-state.yaml",
            description = "Desired-state file (default: ${DEFAULT-VALUE}).")
    Path file;

    @Option(names = "--host", paramLabel = "NAME", defaultValue = "${env:REGENT_HOST}",
            description = "With a fleet file (kind: Fleet): the host of spec.fleet.hosts this Regent acts for "
                    + "(default: the environment variable REGENT_HOST). Refused with a host file.")
    String host;

    @Option(names = "--etcd", paramLabel = "URL", split = ",", converter = EtcdEndpoint.class,
            defaultValue = "${env:REGENT_ETCD_ENDPOINTS}",
            description = "With a fleet file: the fleet's etcd endpoints, such as http://10.0.0.5:2379 "
                    + "(default: the environment variable REGENT_ETCD_ENDPOINTS, comma-separated).")
    List<URI> etcd;

    Path file() {
        return file.toAbsolutePath().normalize();
    }

    Path root() {
        return Optional.ofNullable(root).orElse(file().getParent()).toAbsolutePath().normalize();
    }

    /** The fleet host this process acts for; an empty REGENT_HOST counts as none. */
    Optional<String> host() {
        return Optional.ofNullable(host).filter(name -> !name.isBlank());
    }

    /** The etcd endpoints in the order given; empty when none are (an empty REGENT_ETCD_ENDPOINTS counts as none). */
    List<URI> etcd() {
        return etcd == null ? List.of() : etcd.stream().filter(Objects::nonNull).toList();
    }

    /** The validated desired state, or empty after printing every error to err. */
    Optional<dev.regent.spec.DesiredState> load(PrintStream err) {
        return loadResult(err) instanceof LoadResult.Valid v ? Optional.of(v.state()) : Optional.empty();
    }

    /** The file read, validated and checked against --host; when it is invalid, every error has been printed to err. */
    LoadResult loadResult(PrintStream err) {
        LoadResult result = SpecLoader.load(file(), host());
        if (result instanceof LoadResult.Invalid invalid) {
            err.println("desired state rejected, nothing was changed:");
            invalid.errors().forEach(e -> err.println("  " + e));
        }
        return result;
    }

    /**
     * One etcd client URL: http or https, a host, an optional port, nothing else (a path, query or
     * credentials would be silently dropped by the client). Empty text is no endpoint (null).
     */
    static final class EtcdEndpoint implements ITypeConverter<URI> {
        @Override
        public URI convert(String text) {
            String trimmed = text.strip();
            if (trimmed.isEmpty()) {
                return null;
            }
            Optional<URI> uri = parse(trimmed).filter(EtcdEndpoint::plain);
            return uri.orElseThrow(() -> new TypeConversionException("\"" + text + "\" is not an etcd endpoint: write "
                    + "http(s)://HOST[:PORT], such as http://127.0.0.1:2379, and separate several with commas"));
        }

        private static Optional<URI> parse(String text) {
            try {
                return Optional.of(new URI(text));
            } catch (URISyntaxException e) {
                return Optional.empty();
            }
        }

        private static boolean plain(URI uri) {
            boolean web = "http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme());
            boolean bare = uri.getRawUserInfo() == null && uri.getRawQuery() == null && uri.getRawFragment() == null
                    && (uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/"));
            boolean port = uri.getPort() == -1 || uri.getPort() >= 1 && uri.getPort() <= 65535;
            return web && uri.getHost() != null && bare && port;
        }
    }
}
