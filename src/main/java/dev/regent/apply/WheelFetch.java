package dev.regent.apply;

import dev.regent.deps.Requirement;
import dev.regent.docker.ExecResult;
import dev.regent.fs.HostFiles;
import dev.regent.fs.HostLayout;
import dev.regent.gitops.RedactedUrl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Fills the wheelhouse from spec.dependencies.index before a build's pre-check: {@code pip wheel} of
 * the build's requirements.txt in the web container (the seed's init), into a folder of its own
 * under deploy/deps, with the wheelhouse as --find-links so pins already there are not fetched
 * again. Each wheel new to the wheelhouse is then renamed in: a build reading the wheelhouse at the
 * same time sees a whole wheel or none, never part of one. A wheel already there is never replaced,
 * since other builds' locks name its bytes. Nothing serving is touched; a failure names the package.
 */
final class WheelFetch {
    private static final Pattern NO_DISTRIBUTION = Pattern.compile("No matching distribution found for (\\S+)");
    private static final Pattern UNREACHABLE = Pattern.compile("Connection refused|Name or service not known"
            + "|Temporary failure in name resolution|No route to host|Network is unreachable|timed out"
            + "|certificate verify failed|Max retries exceeded");
    private static final Pattern HTTP_ERROR = Pattern.compile("(\\d{3}) Client Error: ([^\\n]+?) for url");
    private final HostContext host;
    private final Consumer<String> progress;

    WheelFetch(HostContext host, Consumer<String> progress) {
        this.host = host;
        this.progress = progress;
    }

    /** The command run in the web container, in the build's assembly folder. */
    static List<String> pipWheel(String pip, String index, String wheelhouse, String into, boolean hashes) {
        List<String> command = new ArrayList<>(List.of(pip, "wheel", "--disable-pip-version-check", "--progress-bar", "off",
                "--index-url", index, "--find-links", wheelhouse, "--wheel-dir", into));
        if (hashes) {
            command.add("--require-hashes");
        }
        command.addAll(List.of("-r", VenvMaker.REQUIREMENTS));
        return command;
    }

    /** Empty once every wheel pip made is in the wheelhouse; otherwise why not, first line naming the package. */
    Optional<String> fetch(String build, RedactedUrl index, List<Requirement> missing, boolean hashes,
                           Function<List<String>, ExecResult> exec) throws IOException {
        Instant start = host.clock().instant();
        HostLayout layout = host.layout();
        Path deps = layout.wheelhouse().getParent();
        Path work = deps.resolve(".fetch-" + build);
        String wheelhouseName = layout.root().relativize(layout.wheelhouse()).toString();
        String pins = missing.stream().map(Requirement::pin).collect(Collectors.joining(", "));
        progress.accept("build " + build + ": venv: fetching " + pins + " from " + index.shown() + " into " + wheelhouseName);
        HostFiles.removeTree(work, deps);
        try {
            Files.createDirectories(work.resolve("wheels"));
            ExecResult venv = exec.apply(List.of("python3", "-m", "venv", layout.inContainer(work.resolve("pip"))));
            if (!venv.ok()) {
                return Optional.of("could not make a venv for pip wheel: " + describe(venv, index));
            }
            ExecResult pip = exec.apply(pipWheel(layout.inContainer(work.resolve("pip/bin/pip")), index.real(),
                    layout.inContainer(layout.wheelhouse()), layout.inContainer(work.resolve("wheels")), hashes));
            if (!pip.ok()) {
                return Optional.of("could not fetch " + named(pip.output()).orElse(pins) + " from " + index.shown()
                        + " into " + wheelhouseName + ": " + reason(pip.output()) + "\n" + describe(pip, index));
            }
            List<String> added = moveIn(work.resolve("wheels"), layout.wheelhouse());
            progress.accept("build " + build + ": venv: fetched " + (added.isEmpty() ? "nothing new" : String.join(", ", added))
                    + String.format(Locale.ROOT, " in %.1f s", Duration.between(start, host.clock().instant()).toMillis() / 1000.0));
            return Optional.empty();
        } finally {
            HostFiles.removeTree(work, deps);
        }
    }

    /** Renames each wheel the wheelhouse lacks into it (one file system: deploy/deps); returns their names. */
    private static List<String> moveIn(Path wheels, Path wheelhouse) throws IOException {
        Files.createDirectories(wheelhouse);
        List<String> added = new ArrayList<>();
        try (Stream<Path> files = Files.list(wheels)) {
            for (Path file : files.sorted().toList()) {
                String name = file.getFileName().toString();
                if (name.endsWith(".whl") && Files.isRegularFile(file) && !Files.exists(wheelhouse.resolve(name))) {
                    Files.move(file, wheelhouse.resolve(name), StandardCopyOption.ATOMIC_MOVE);
                    added.add(name);
                }
            }
        }
        return added;
    }

    private static Optional<String> named(String output) {
        Matcher m = NO_DISTRIBUTION.matcher(output);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    static String reason(String output) {
        Matcher unreachable = UNREACHABLE.matcher(output);
        if (unreachable.find()) {
            return "the index did not answer (" + unreachable.group() + ")";
        }
        Matcher http = HTTP_ERROR.matcher(output);
        if (http.find()) {
            return "the index answered HTTP " + http.group(1) + " " + http.group(2);
        }
        if (output.contains("DO NOT MATCH THE HASHES")) {
            return "the index's file has another sha256 than requirements.txt's --hash";
        }
        if (NO_DISTRIBUTION.matcher(output).find()) {
            return "the index has no such version";
        }
        return "pip wheel failed";
    }

    private static String describe(ExecResult result, RedactedUrl index) {
        return index.scrub((result.timedOut() ? "timed out" : "exit code " + result.exitCode()) + "\n" + result.tail(20));
    }
}
