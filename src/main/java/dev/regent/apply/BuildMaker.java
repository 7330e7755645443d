package dev.regent.apply;

import dev.regent.db.DatabaseCredentials;
import dev.regent.docker.ExecResult;
import dev.regent.failure.Causes;
import dev.regent.fs.HardLinks;
import dev.regent.fs.HostFiles;
import dev.regent.fs.HostLayout;
import dev.regent.git.GitRefs;
import dev.regent.observe.BuildFailure;
import dev.regent.observe.BuildRecord;
import dev.regent.spec.DependencySpec;
import dev.regent.spec.EffectiveBuild;
import dev.regent.spec.Step;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.format.DateTimeFormatter;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Makes a build: assembled under a dot-name the emperors never see, renamed into place only when
 * complete. A failed step leaves a failure record (step and output) and no folder, so the host's
 * serving builds are never touched and the failure is not retried until the ref changes.
 */
public final class BuildMaker {
    private static final String COPY_SCRIPT =
            "git -C \"$1\" archive --format=tar \"$2\" | tar -x -C \"$3\"";
    private final HostContext host;
    private final List<Step> steps;
    private final Consumer<String> progress;
    private final DependencySpec dependencies;

    public BuildMaker(HostContext host, List<Step> steps, Consumer<String> progress) {
        this(host, steps, DependencySpec.NONE, progress);
    }

    public BuildMaker(HostContext host, List<Step> steps, DependencySpec dependencies, Consumer<String> progress) {
        this.host = host;
        this.steps = steps;
        this.progress = progress;
        this.dependencies = dependencies;
    }

    public ActionResult make(EffectiveBuild build) {
        HostLayout layout = host.layout();
        Path assembly = layout.assembly(build.name());
        String step = "resolve ref";
        Optional<String> boot = Optional.empty();
        try {
            Path repo = host.sourceRepo(build.repo());
            if (!repo.startsWith(layout.root())) {
                return fail(build, step, "source repo " + build.repo() + " is outside the project folder, which the web container cannot see");
            }
            String commit = GitRefs.resolveCommit(repo, build.ref());
            GitRefs.Location location = GitRefs.locate(repo);
            Path gitTop = location.top();
            String pathInRepo = location.bare() ? build.path()
                    : gitTop.relativize(repo.resolve(build.path()).normalize()).toString();
            progress.accept("build " + build.name() + ": " + build.ref() + " is commit " + commit.substring(0, 12));
            boot = WebBoot.read(host);

            step = "prepare folder";
            HostFiles.removeTree(assembly, layout.builds());
            Files.createDirectories(assembly.resolve("app"));

            step = "copy app";
            ExecResult copy = run(List.of("bash", "-o", "pipefail", "-c", COPY_SCRIPT, "regent-copy",
                    layout.inContainer(gitTop), commit + ":" + pathInRepo, layout.inContainer(assembly.resolve("app"))),
                    layout.inContainer(layout.builds()), build);
            if (!copy.ok()) {
                return failStep(build, step, describe(copy), boot);
            }

            step = "write generated files";
            DjangoProject project = DjangoProject.detect(assembly.resolve("app"), build.settings(), build.wsgi());
            String tag = build.name() + "-" + commit.substring(0, 12) + "-"
                    + DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC).format(host.clock().instant());
            HostFiles.writeAtomically(assembly.resolve("regent_settings.py"), BuildFiles.settingsModule(build.name(), project.settingsModule()));
            HostFiles.writeAtomically(assembly.resolve(BuildFiles.WSGI_MODULE + ".py"), BuildFiles.wsgiModule(build.name(), project.wsgiModule()));
            writeBuildIni(assembly.resolve(BuildIni.FILE),
                    new BuildIni(build.port(), BuildFiles.WSGI_MODULE, DatabaseCredentials.databaseUrl(layout)));
            HostFiles.writeAtomically(assembly.resolve("deploy-tag"), tag + "\n");

            step = "venv";
            Optional<String> venv = new VenvMaker(host, progress, dependencies).make(build.name(), assembly,
                    command -> run(command, layout.inContainer(assembly), build));
            if (venv.isPresent()) {
                return failStep(build, step, venv.get(), boot);
            }

            for (Step declared : steps) {
                if (VenvMaker.supersedes(declared.run())) {
                    progress.accept("build " + build.name() + ": step " + declared.name() + " skipped: Regent made venv itself");
                    continue;
                }
                step = declared.name();
                progress.accept("build " + build.name() + ": step " + step + ": " + String.join(" ", declared.run()));
                ExecResult result = run(declared.run(), layout.inContainer(assembly), build);
                if (!result.ok()) {
                    return failStep(build, step, describe(result), boot);
                }
            }

            step = "link unchanged files";
            long saved = linkToLiveBuild(build.name(), assembly);

            step = "move into place";
            HostFiles.writeJson(assembly.resolve(BuildRecord.FILE), new BuildRecord(build.name(), build.ref(), commit,
                    build.path(), build.port(), tag, host.clock().instant()));
            Files.move(assembly, layout.build(build.name()), StandardCopyOption.ATOMIC_MOVE);
            Files.deleteIfExists(layout.marker(build.name(), BuildFailure.KIND));
            return ActionResult.done("commit " + commit.substring(0, 12) + ", " + project.wsgiModule()
                    + (saved > 0 ? ", " + saved / 1024 + " KiB shared with the live build" : ""));
        } catch (IllegalArgumentException | IllegalStateException | IOException | UncheckedIOException e) {
            return failStep(build, step, Causes.of(e), boot);
        }
    }

    /** Readable by its owner only: it holds the database password. */
    private static void writeBuildIni(Path file, BuildIni ini) throws IOException {
        HostFiles.writeAtomically(file, ini.render());
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }

    /** Hard-links files identical to the live build's, in the build folder and its static files. */
    private long linkToLiveBuild(String name, Path assembly) {
        HostLayout layout = host.layout();
        return HostFiles.readLink(layout.role(HostLayout.LIVE))
                .filter(live -> !live.equals(name))
                .filter(live -> Files.isRegularFile(layout.build(live).resolve(BuildRecord.FILE)))
                .map(live -> HardLinks.linkIdentical(assembly, layout.build(live))
                        + HardLinks.linkIdentical(layout.staticRoot(name), layout.staticRoot(live)))
                .orElse(0L);
    }

    private ExecResult run(List<String> command, String workdir, EffectiveBuild build) {
        return host.execIn("web", command, Optional.of(workdir),
                BuildEnvironment.of(host.layout(), build.name(), host.layout().assembly(build.name())).variables(),
                host.timeouts().step());
    }

    private static String describe(ExecResult result) {
        String status = result.timedOut() ? "timed out" : "exit code " + result.exitCode();
        return status + "\n" + result.tail(20);
    }

    /**
     * A step cut short by the host (the web container stopped or restarted under it) is not the
     * build's fault: its leftovers go, nothing is recorded, and the next reconcile builds it again.
     */
    private ActionResult failStep(EffectiveBuild build, String step, String output, Optional<String> boot) {
        Optional<String> interrupted = WebBoot.interruption(host, boot);
        if (interrupted.isEmpty()) {
            return fail(build, step, output);
        }
        String cleanup = removeLeftovers(build).map(e -> "\n(cleanup failed, the next reconcile removes the folder: " + e + ")")
                .orElse("");
        return ActionResult.failed("build " + build.name() + ": step \"" + step + "\" was cut short because "
                + interrupted.get() + "; not recorded as a failure, so the next reconcile builds it again:\n" + output + cleanup);
    }

    private Optional<String> removeLeftovers(EffectiveBuild build) {
        HostLayout layout = host.layout();
        try {
            HostFiles.removeTree(layout.assembly(build.name()), layout.builds());
            HostFiles.removeTree(layout.staticRoot(build.name()), layout.deploy());
            return Optional.empty();
        } catch (RuntimeException cleanup) {
            return Optional.of(Causes.of(cleanup));
        }
    }

    /**
     * Removes what the build left (its assembly folder, its static files) and records the failure so
     * it is not retried until the ref changes. Never throws: on a full disk even the record may not
     * be written, and the reason then says so (the build is then tried again at the next reconcile).
     */
    private ActionResult fail(EffectiveBuild build, String step, String output) {
        HostLayout layout = host.layout();
        String reason = diskFull(output) + output;
        Optional<String> cleanup = removeLeftovers(build);
        if (cleanup.isPresent()) {
            reason = reason + "\n(cleanup failed too, the next reconcile removes the folder: " + cleanup.get() + ")";
        }
        try {
            HostFiles.writeJson(layout.marker(build.name(), BuildFailure.KIND),
                    new BuildFailure(build.name(), build.ref(), step, reason, host.clock().instant()));
        } catch (RuntimeException record) {
            reason = reason + "\n(the failure could not be recorded, so the next reconcile tries again: " + Causes.of(record) + ")";
            return ActionResult.failed("build " + build.name() + " failed at step \"" + step + "\": " + reason);
        }
        return ActionResult.failedForGood("build " + build.name() + " failed at step \"" + step + "\": " + reason);
    }

    /** A first line naming the full filesystem, when the output shows one: tools bury it in their output. */
    private String diskFull(String output) {
        if (!output.contains("No space left on device") && !output.contains("Errno 28")) {
            return "";
        }
        try {
            var store = Files.getFileStore(host.layout().builds());
            return "no space left on device (deploy/builds: " + store.getUsableSpace() / 1024 + " KiB free of "
                    + store.getTotalSpace() / 1024 + " KiB); ";
        } catch (IOException e) {
            return "no space left on device; ";
        }
    }
}
