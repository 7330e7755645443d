package dev.regent.apply;

import dev.regent.deps.PipFailure;
import dev.regent.deps.Requirement;
import dev.regent.deps.Requirements;
import dev.regent.deps.SitePackages;
import dev.regent.deps.VenvLock;
import dev.regent.deps.VenvStore;
import dev.regent.deps.WheelCheck;
import dev.regent.deps.Wheelhouse;
import dev.regent.docker.ExecResult;
import dev.regent.fs.HostFiles;
import dev.regent.fs.HostLayout;
import dev.regent.gitops.RedactedUrl;
import dev.regent.spec.DependencySpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Makes {@code venv} in a build being assembled, before its declared steps. With
 * {@code app/requirements.txt}: a venv without the system site packages, installed by pip from the
 * wheelhouse only after a check that every pinned wheel is there, kept in the {@link VenvStore}
 * under its {@link VenvLock}; {@code venv} links to it, so a later build of an equal lock links to
 * the same entry instead of installing. Without: a venv folder that sees the web image's packages.
 * With spec.dependencies.index, pins whose wheel is missing are first fetched into the wheelhouse
 * ({@link WheelFetch}); without, the check fails naming them.
 *
 * <p>Paths: pip installs into the assembly folder's venv, which then moves into the store. Console
 * scripts' shebangs and bin/activate name that first path, so they do not run; nothing Regent uses
 * reads them: uWSGI takes the venv by {@code virtualenv=}, the steps and {@code regent shell} call
 * {@code venv/bin/python}, whose links point at the system interpreter, and Python finds the venv's
 * pyvenv.cfg beside that path, through the build's link.
 */
final class VenvMaker {
    static final String REQUIREMENTS = "app/requirements.txt";
    private final HostContext host;
    private final Consumer<String> progress;
    private final Optional<RedactedUrl> index;

    VenvMaker(HostContext host, Consumer<String> progress) {
        this(host, progress, DependencySpec.NONE);
    }

    /** With an index in {@code dependencies}, wheels missing from the wheelhouse are fetched first ({@link WheelFetch}). */
    VenvMaker(HostContext host, Consumer<String> progress, DependencySpec dependencies) {
        this.host = host;
        this.progress = progress;
        this.index = dependencies.index().map(RedactedUrl::of);
    }

    /**
     * True for a declared step that would make the venv again (the old default step, kept in many
     * desired states): run over a requirements venv, it would rewrite the shared venv's pyvenv.cfg.
     */
    static boolean supersedes(List<String> step) {
        return step.size() >= 3 && step.get(0).startsWith("python3") && step.get(1).equals("-m") && step.get(2).equals("venv");
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
        Wheelhouse before = Wheelhouse.read(layout.wheelhouse());
        String wheelhouseName = layout.root().relativize(layout.wheelhouse()).toString();
        List<Requirement> absent = WheelCheck.missing(requirements, before);
        if (!absent.isEmpty() && requirements.problems().isEmpty() && index.isPresent()) {
            boolean hashes = requirements.pinned().stream().anyMatch(r -> !r.sha256().isEmpty());
            Optional<String> fetched = new WheelFetch(host, progress).fetch(build, index.get(), absent, hashes, exec);
            if (fetched.isPresent()) {
                return fetched;
            }
        }
        Wheelhouse wheelhouse = absent.isEmpty() || index.isEmpty() ? before : Wheelhouse.read(layout.wheelhouse());
        Optional<String> missing = WheelCheck.check(requirements, wheelhouse, wheelhouseName);
        if (missing.isPresent()) {
            return index.isPresent() || absent.isEmpty() ? missing : Optional.of(missing.get()
                    + "\nor set spec.dependencies.index to a package index: missing wheels are then fetched into "
                    + wheelhouseName + " before the build installs");
        }
        ExecResult version = exec.apply(List.of("python3", "-c", "import sys; print(sys.version.replace(chr(10), ' '))"));
        if (!version.ok()) {
            return failure(version);
        }
        String python = version.output().strip();
        Path venv = assembly.resolve("venv");
        VenvStore store = new VenvStore(layout.venvStore(), layout.builds());
        Optional<String> same = store.find(lock -> lock.sameAs(text, python, requirements, wheelhouse));
        if (same.isPresent()) {
            List<String> users = store.usedBy(same.get());
            store.link(venv, same.get());
            progress.accept("build " + build + ": venv: same lock as " + (users.isEmpty() ? "an earlier install"
                    : "build " + String.join(", ", users)) + ", shares " + entryName(same.get()) + since(start));
            collect(build, store);
            return Optional.empty();
        }
        progress.accept("build " + build + ": venv: installing " + requirements.pinned().size() + " pinned packages from "
                + wheelhouseName);
        // Installed inside the store, so moving it to its entry is a rename on one filesystem (deploy/builds
        // may be another one) and the build folder never holds the full venv.
        Path install = layout.venvStore().resolve(".install-" + build);
        HostFiles.removeTree(install, layout.venvStore());
        Files.createDirectories(layout.venvStore());
        String installed = layout.inContainer(install);
        Optional<String> created = failure(exec.apply(List.of("python3", "-m", "venv", installed)));
        if (created.isPresent()) {
            HostFiles.removeTree(install, layout.venvStore());
            return created;
        }
        ExecResult pip = exec.apply(List.of(installed + "/bin/pip", "install", "--disable-pip-version-check", "--no-index",
                "--find-links", layout.inContainer(layout.wheelhouse()), "-r", REQUIREMENTS));
        if (!pip.ok()) {
            HostFiles.removeTree(install, layout.venvStore());
            return Optional.of(PipFailure.explain(pip.output(), describe(pip)));
        }
        VenvLock lock = VenvLock.of(text, python, SitePackages.installed(install), requirements, wheelhouse);
        HostFiles.writeJson(install.resolve(VenvLock.FILE), lock);
        String id = store.add(install, lock);
        store.link(venv, id);
        progress.accept("build " + build + ": venv: installed into " + entryName(id) + ", lock recorded" + since(start));
        collect(build, store);
        return Optional.empty();
    }

    private String entryName(String id) {
        return host.layout().root().relativize(host.layout().venvStore().resolve(id)).toString();
    }

    private void collect(String build, VenvStore store) {
        List<String> removed = store.collect();
        if (!removed.isEmpty()) {
            progress.accept("build " + build + ": venv: removed " + removed.size() + " venv(s) no build uses: " + String.join(", ", removed));
        }
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
