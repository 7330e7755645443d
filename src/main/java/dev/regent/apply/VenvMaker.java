package dev.regent.apply;

import dev.regent.deps.PipFailure;
import dev.regent.deps.Requirements;
import dev.regent.deps.SitePackages;
import dev.regent.deps.VenvLock;
import dev.regent.deps.WheelCheck;
import dev.regent.deps.Wheelhouse;
import dev.regent.docker.ExecResult;
import dev.regent.fs.HardLinks;
import dev.regent.fs.HostFiles;
import dev.regent.fs.HostLayout;
import dev.regent.observe.BuildRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Locale;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Makes {@code venv/} in a build being assembled, before its declared steps. With
 * {@code app/requirements.txt}: its own venv (no system site packages) installed by pip from the
 * wheelhouse only, after a check that every pinned wheel is there, or, when an existing complete
 * build's venv has the same {@link VenvLock}, that venv's files hard-linked. Without: a venv that
 * sees the web image's system packages.
 *
 * <p>Paths: the venv is made in the assembly folder and renamed with it. Console scripts'
 * shebangs and bin/activate name the assembly path (and, when reused, the first build's), so they do
 * not run after the rename; nothing Regent uses reads them: uWSGI takes the venv by
 * {@code virtualenv=}, the steps and {@code regent shell} call {@code venv/bin/python}, whose
 * links point at the system interpreter.
 */
final class VenvMaker {
    static final String REQUIREMENTS = "app/requirements.txt";
    private final HostContext host;
    private final Consumer<String> progress;

    VenvMaker(HostContext host, Consumer<String> progress) {
        this.host = host;
        this.progress = progress;
    }

    /** Empty once venv/ is made; otherwise why not, its first line naming the package at fault. */
    Optional<String> make(String build, Path assembly, Function<List<String>, ExecResult> exec) throws IOException {
        Instant start = host.clock().instant();
        Path requirementsFile = assembly.resolve(REQUIREMENTS);
        if (!Files.isRegularFile(requirementsFile)) {
            progress.accept("build " + build + ": venv: no " + REQUIREMENTS + ", the web image's system packages");
            return failure(exec.apply(List.of("python3", "-m", "venv", "--system-site-packages", "--without-pip", "venv")));
        }
        HostLayout layout = host.layout();
        String text = Files.readString(requirementsFile);
        Requirements requirements = Requirements.parse(text);
        Wheelhouse wheelhouse = Wheelhouse.read(layout.wheelhouse());
        String wheelhouseName = layout.root().relativize(layout.wheelhouse()).toString();
        Optional<String> missing = WheelCheck.check(requirements, wheelhouse, wheelhouseName);
        if (missing.isPresent()) {
            return missing;
        }
        ExecResult version = exec.apply(List.of("python3", "-c", "import sys; print(sys.version.replace(chr(10), ' '))"));
        if (!version.ok()) {
            return failure(version);
        }
        String python = version.output().strip();
        Path venv = assembly.resolve("venv");
        Optional<String> twin = twin(build, text, python, requirements, wheelhouse);
        if (twin.isPresent()) {
            try {
                long files = HardLinks.linkTree(layout.build(twin.get()).resolve("venv"), venv);
                progress.accept("build " + build + ": venv: same lock as build " + twin.get() + ", " + files + " files hard-linked"
                        + since(start));
                return Optional.empty();
            } catch (UncheckedIOException e) {
                progress.accept("build " + build + ": venv: could not link build " + twin.get() + "'s venv (" + e.getMessage()
                        + "), installing instead");
                HostFiles.removeTree(venv, layout.builds());
            }
        }
        progress.accept("build " + build + ": venv: installing " + requirements.pinned().size() + " pinned packages from "
                + wheelhouseName);
        Optional<String> created = failure(exec.apply(List.of("python3", "-m", "venv", "venv")));
        if (created.isPresent()) {
            return created;
        }
        ExecResult pip = exec.apply(List.of("venv/bin/pip", "install", "--disable-pip-version-check", "--no-index",
                "--find-links", layout.inContainer(layout.wheelhouse()), "-r", REQUIREMENTS));
        if (!pip.ok()) {
            return Optional.of(PipFailure.explain(pip.output(), describe(pip)));
        }
        HostFiles.writeJson(venv.resolve(VenvLock.FILE),
                VenvLock.of(text, python, SitePackages.installed(venv), requirements, wheelhouse));
        progress.accept("build " + build + ": venv: installed, lock recorded" + since(start));
        return Optional.empty();
    }

    /** A complete build whose venv has the lock this one would get; the live build first. */
    private Optional<String> twin(String build, String text, String python, Requirements requirements, Wheelhouse wheelhouse)
            throws IOException {
        HostLayout layout = host.layout();
        List<String> names = new ArrayList<>();
        HostFiles.readLink(layout.role(HostLayout.LIVE)).ifPresent(names::add);
        try (Stream<Path> folders = Files.list(layout.builds())) {
            folders.filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))
                    .map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted().forEach(names::add);
        }
        return names.stream().distinct().filter(name -> !name.equals(build))
                .filter(name -> Files.isRegularFile(layout.build(name).resolve(BuildRecord.FILE), LinkOption.NOFOLLOW_LINKS))
                .filter(name -> HostFiles.readJson(layout.build(name).resolve("venv").resolve(VenvLock.FILE), VenvLock.class)
                        .filter(lock -> lock.sameAs(text, python, requirements, wheelhouse)).isPresent())
                .findFirst();
    }

    private String since(Instant start) {
        return String.format(Locale.ROOT, " in %.1f s", Duration.between(start, host.clock().instant()).toMillis() / 1000.0);
    }

    private static Optional<String> failure(ExecResult result) {
        return result.ok() ? Optional.empty() : Optional.of(describe(result));
    }

    private static String describe(ExecResult result) {
        return (result.timedOut() ? "timed out" : "exit code " + result.exitCode()) + "\n" + result.tail(20);
    }
}
