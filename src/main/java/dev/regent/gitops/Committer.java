package dev.regent.gitops;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RemoteRefUpdate;

/** Commits an edited desired-state file (only that file) and optionally pushes it: the GitOps path of the verbs. */
public final class Committer {
    private Committer() {
    }

    /** Commits {@code file} with {@code message}; returns the new commit id. */
    public static String commit(Path file, String message) throws IOException, GitAPIException {
        try (Git git = Git.open(top(file).toFile())) {
            String relative = git.getRepository().getWorkTree().toPath().toAbsolutePath().normalize()
                    .relativize(file.toAbsolutePath().normalize()).toString();
            git.add().addFilepattern(relative).call();
            RevCommit commit = git.commit().setOnly(relative).setMessage(message).call();
            return commit.getName();
        }
    }

    /** Pushes the current branch to origin; returns a failure message, or empty when every ref was accepted. */
    public static Optional<String> push(Path file) throws IOException, GitAPIException {
        try (Git git = Git.open(top(file).toFile())) {
            for (PushResult result : git.push().setRemote("origin").setTimeout(30).call()) {
                for (RemoteRefUpdate update : result.getRemoteUpdates()) {
                    if (update.getStatus() != RemoteRefUpdate.Status.OK && update.getStatus() != RemoteRefUpdate.Status.UP_TO_DATE) {
                        return Optional.of(update.getRemoteName() + ": " + update.getStatus()
                                + (update.getMessage() == null ? "" : " (" + update.getMessage() + ")"));
                    }
                }
            }
            return Optional.empty();
        }
    }

    private static Path top(Path file) {
        return dev.regent.git.GitRefs.locate(file.toAbsolutePath().getParent()).top();
    }
}
