package dev.regent.git;

import java.io.IOException;
import java.nio.file.Path;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/** Resolves refs of a local git repository with JGit. */
public final class GitRefs {
    private GitRefs() {
    }

    /** The full commit id {@code ref} names in the repository at or above {@code folder}. */
    public static String resolveCommit(Path folder, String ref) {
        var builder = new FileRepositoryBuilder().readEnvironment().findGitDir(folder.toFile());
        if (builder.getGitDir() == null) {
            throw new IllegalArgumentException(folder + " is not inside a git repository");
        }
        try (Repository repo = builder.build()) {
            ObjectId id = repo.resolve(ref + "^{commit}");
            if (id == null) {
                throw new IllegalArgumentException("ref \"" + ref + "\" names no commit in " + repo.getDirectory().getParentFile());
            }
            return id.getName();
        } catch (IOException e) {
            throw new IllegalArgumentException("could not read git repository at " + folder + ": " + e.getMessage(), e);
        }
    }

    /** The top of the work tree containing {@code folder}. */
    public static Path workTree(Path folder) {
        var builder = new FileRepositoryBuilder().findGitDir(folder.toFile());
        if (builder.getGitDir() == null) {
            throw new IllegalArgumentException(folder + " is not inside a git repository");
        }
        return builder.getGitDir().toPath().toAbsolutePath().getParent();
    }
}
