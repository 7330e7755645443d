package dev.regent.cli;

import dev.regent.edit.SeedVerbs;
import dev.regent.edit.VerbResult;
import dev.regent.fs.HostFiles;
import dev.regent.gitops.Committer;
import dev.regent.fs.HostLayout;
import dev.regent.spec.BuildNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The seed's fab tasks as edits of desired-state.yaml that keep its comments and layout, each
 * followed by a converge (unless --no-apply, or a running `regent run` holds the host and will).
 */
final class VerbCommands {
    private VerbCommands() {
    }

    abstract static class Verb implements Callable<Integer> {
        @Mixin
        CommonOptions options;

        @Option(names = "--no-apply", description = "Only edit desired-state.yaml; do not converge now.")
        boolean noApply;

        @Option(names = "--commit", description = "Commit the edit (that file only) instead of converging here: "
                + "the loop following the repository converges it.")
        boolean commit;

        @Option(names = {"-m", "--message"}, description = "Why, added to the commit message.")
        String why;

        @Option(names = "--push", description = "Commit, then push to origin.")
        boolean push;

        abstract VerbResult edit(SeedVerbs verbs);

        @Override
        public Integer call() throws IOException {
            var desired = options.load(System.err);
            if (desired.isEmpty()) {
                return 2;
            }
            String text = Files.readString(options.file());
            VerbResult result = edit(new SeedVerbs(desired.get(), text, buildsOnHost(options.root())));
            if (result instanceof VerbResult.Refused refused) {
                System.err.println("refused: " + refused.reason());
                return 1;
            }
            var edited = (VerbResult.Edited) result;
            HostFiles.writeAtomically(options.file(), edited.newText());
            System.out.println(options.file().getFileName() + ": " + edited.summary());
            if (commit || push) {
                return commitAndPush(edited.summary());
            }
            if (noApply) {
                return 0;
            }
            var reloaded = options.load(System.err);
            return reloaded.isEmpty() ? 2 : ApplyCommand.converge(options, reloaded.get(), true);
        }

        private int commitAndPush(String summary) {
        try {
            String id = Committer.commit(options.file(), "regent: " + summary + (why == null ? "" : "\n\n" + why));
            System.out.println("committed " + id.substring(0, 12) + ": regent: " + summary);
            if (push) {
                var failure = Committer.push(options.file());
                if (failure.isPresent()) {
                    System.err.println("push refused: " + failure.get());
                    return 1;
                }
                System.out.println("pushed to origin; the loop following it converges the host");
            }
            return 0;
        } catch (IOException | org.eclipse.jgit.api.errors.GitAPIException | IllegalArgumentException e) {
            System.err.println("could not commit " + options.file() + ": " + e.getMessage());
            return 1;
        }
    }
    }

    static Set<String> buildsOnHost(Path root) throws IOException {
        Path builds = new HostLayout(root).builds();
        var names = new HashSet<String>();
        if (Files.isDirectory(builds)) {
            try (var entries = Files.list(builds)) {
                entries.filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))
                        .map(p -> p.getFileName().toString())
                        .filter(BuildNames::isValid)
                        .forEach(names::add);
            }
        }
        return names;
    }

    @Command(name = "find-free-build", mixinStandardHelpOptions = true,
            description = "Prints the first build name that is neither listed nor on the host.")
    static final class FindFreeBuild implements Callable<Integer> {
        @Mixin
        CommonOptions options;

        @Override
        public Integer call() throws IOException {
            var desired = options.load(System.err);
            if (desired.isEmpty()) {
                return 2;
            }
            System.out.println(SeedVerbs.findFreeBuild(desired.get(), buildsOnHost(options.root())));
            return 0;
        }
    }

    @Command(name = "create-build", mixinStandardHelpOptions = true,
            description = "Lists a new build made from a git ref, then converges (builds it and starts it).")
    static final class CreateBuild extends Verb {
        @Parameters(index = "0", description = "Build name (see find-free-build).")
        String name;

        @Option(names = "--ref", defaultValue = "HEAD", description = "Git ref to build (default: ${DEFAULT-VALUE}).")
        String ref;

        VerbResult edit(SeedVerbs verbs) {
            return verbs.createBuild(name, ref);
        }
    }

    @Command(name = "activate", mixinStandardHelpOptions = true, description = "Starts a build's vassal and worker pool.")
    static final class Activate extends Verb {
        @Parameters(index = "0", description = "Build name.")
        String name;

        VerbResult edit(SeedVerbs verbs) {
            return verbs.activate(name);
        }
    }

    @Command(name = "deactivate", mixinStandardHelpOptions = true,
            description = "Stops a build's processes, keeping its folder. Refused for the live or stage build.")
    static final class Deactivate extends Verb {
        @Parameters(index = "0", description = "Build name.")
        String name;

        VerbResult edit(SeedVerbs verbs) {
            return verbs.deactivate(name);
        }
    }

    @Command(name = "stage", mixinStandardHelpOptions = true,
            description = "Links a build as stage (warmed up first). Refused for the live build.")
    static final class Stage extends Verb {
        @Parameters(index = "0", description = "Build name.")
        String name;

        VerbResult edit(SeedVerbs verbs) {
            return verbs.stage(name);
        }
    }

    @Command(name = "swap-live", mixinStandardHelpOptions = true,
            description = "Makes the stage build (or NAME) live; the old live build becomes stage, still warm.")
    static final class SwapLive extends Verb {
        @Parameters(index = "0", arity = "0..1", description = "Build to make live (default: the stage build).")
        String name;

        @picocli.CommandLine.Option(names = "--allow-unsafe-rollback", description = "Also set allowUnsafeRollback:"
                + " true on the build, so live moves to it although a breaking migration it does not know was applied.")
        boolean allowUnsafeRollback;

        VerbResult edit(SeedVerbs verbs) {
            return verbs.swapLive(Optional.ofNullable(name), allowUnsafeRollback);
        }
    }

    @Command(name = "rollback", mixinStandardHelpOptions = true,
            description = {"Puts the previous live build back in one step: live moves to the build that served before the"
                    + " current desired live (the one an automatic rollback holds live at, else the one the last promotion"
                    + " replaced, else the stage build), and the current live build becomes stage, still warm.",
                    "With --commit, the edit is committed for the loop following the repository to converge."})
    static final class Rollback extends Verb {
        VerbResult edit(SeedVerbs verbs) {
            return verbs.rollback(PreviousLive.of(new HostLayout(options.root()), verbs.state().live()));
        }
    }

    @Command(name = "rm", mixinStandardHelpOptions = true,
            description = "Unlists a build: its processes stop and its folder goes. Refused for the live or stage build.")
    static final class Rm extends Verb {
        @Parameters(index = "0", description = "Build name.")
        String name;

        VerbResult edit(SeedVerbs verbs) {
            return verbs.rm(name);
        }
    }
}
