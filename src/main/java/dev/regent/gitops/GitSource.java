package dev.regent.gitops;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * The git repository Regent follows, mirrored into a bare clone under deploy/ (so the web
 * container can `git archive` builds from it). Every fetch has a deadline; a failed fetch leaves
 * the mirror as it was.
 */
public final class GitSource {
    private final String url;
    private final String branch;
    private final Path mirror;
    private final Duration timeout;

    public GitSource(String url, String branch, Path mirror, Duration timeout) {
        this.url = url;
        this.branch = branch;
        this.mirror = mirror;
        this.timeout = timeout;
    }

    public String url() {
        return url;
    }

    public String branch() {
        return branch;
    }

    public Path mirror() {
        return mirror;
    }

    /** Fetches the branch and returns its head commit; HEAD of the mirror follows the branch. */
    public String fetch() throws GitFailure {
        try (Git git = open()) {
            git.fetch().setRemote(url)
                    .setRefSpecs(new RefSpec("+refs/heads/" + branch + ":refs/heads/" + branch))
                    .setTimeout((int) Math.max(1, timeout.toSeconds()))
                    .call();
            Repository repo = git.getRepository();
            ObjectId head = repo.resolve("refs/heads/" + branch);
            if (head == null) {
                throw new GitFailure("branch " + branch + " does not exist in " + url);
            }
            RefUpdate update = repo.updateRef("HEAD");
            update.link("refs/heads/" + branch);
            return head.getName();
        } catch (GitAPIException | IOException | RuntimeException e) {
            throw new GitFailure("could not fetch " + branch + " from " + url + ": " + rootMessage(e));
        }
    }

    /** The text of {@code file} at {@code commit}, or empty when the commit has no such file. */
    public Optional<String> read(String commit, String file) throws GitFailure {
        try (Git git = open(); RevWalk walk = new RevWalk(git.getRepository())) {
            RevCommit revision = walk.parseCommit(ObjectId.fromString(commit));
            try (TreeWalk tree = TreeWalk.forPath(git.getRepository(), file, revision.getTree())) {
                if (tree == null) {
                    return Optional.empty();
                }
                byte[] bytes = git.getRepository().open(tree.getObjectId(0)).getBytes(16 * 1024 * 1024);
                return Optional.of(new String(bytes, StandardCharsets.UTF_8));
            }
        } catch (GitAPIException | IOException | RuntimeException e) {
            throw new GitFailure("could not read " + file + " at " + commit + ": " + rootMessage(e));
        }
    }

    /** The commit object's raw bytes (headers, signature, message). */
    public byte[] rawCommit(String commit) throws GitFailure {
        try (Git git = open()) {
            return git.getRepository().open(ObjectId.fromString(commit)).getBytes();
        } catch (GitAPIException | IOException | RuntimeException e) {
            throw new GitFailure("could not read commit " + commit + ": " + rootMessage(e));
        }
    }

    private Git open() throws IOException, GitAPIException {
        if (!Files.isDirectory(mirror.resolve("objects"))) {
            Files.createDirectories(mirror);
            return Git.init().setBare(true).setDirectory(mirror.toFile()).call();
        }
        return Git.open(mirror.toFile());
    }

    private static String rootMessage(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + cause.getMessage() + ")";
    }

    /** A fetch or read that did not work, with why. */
    public static final class GitFailure extends Exception {
        public GitFailure(String message) {
            super(message);
        }
    }
}
