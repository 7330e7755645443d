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

    /**
     * Where `git -C` must run for {@code folder}, and the path of {@code folder} inside the
     * repository's trees: the work tree's top, or the repository itself when it is bare.
     */
    public static Location locate(Path folder) {
        var builder = new FileRepositoryBuilder().findGitDir(folder.toFile());
        if (builder.getGitDir() == null) {
            throw new IllegalArgumentException(folder + " is not inside a git repository");
        }
        try (Repository repo = builder.setMustExist(true).build()) {
            Path gitDir = repo.getDirectory().toPath().toAbsolutePath().normalize();
            if (repo.isBare()) {
                return new Location(gitDir, true);
            }
            return new Location(repo.getWorkTree().toPath().toAbsolutePath().normalize(), false);
        } catch (IOException e) {
            throw new IllegalArgumentException("could not read git repository at " + folder + ": " + e.getMessage(), e);
        }
    }

    public record Location(Path top, boolean bare) {
    }
}
