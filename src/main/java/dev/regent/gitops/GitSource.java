package dev.regent.gitops;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * The git repository Regent follows, mirrored into a bare clone under deploy/ (so the web
 * container can `git archive` builds from it). Every fetch has a deadline; a failed fetch leaves
 * the mirror as it was. Without a branch, the remote's default branch (its HEAD) is followed,
 * looked up again at every fetch. The URL's credentials never leave this object: it shows the
 * URL redacted, and scrubs them from every failure message.
 */
public final class GitSource {
    private static final String DEFAULT_BRANCH = "(default branch)";
    private final RedactedUrl url;
    private final Optional<String> branch;
    private final Path mirror;
    private final Duration timeout;

    /** branch: the branch to follow; empty to follow the remote's default branch. */
    public GitSource(String url, Optional<String> branch, Path mirror, Duration timeout) {
        this.url = RedactedUrl.of(url);
        this.branch = branch;
        this.mirror = mirror;
        this.timeout = timeout;
    }

    /** The URL as it may be shown: credentials masked. */
    public String url() {
        return url.shown();
    }

    /** The branch given, or "(default branch)" when the remote's HEAD decides at each fetch. */
    public String branch() {
        return branch.orElse(DEFAULT_BRANCH);
    }

    public boolean followsDefaultBranch() {
        return branch.isEmpty();
    }

    public Path mirror() {
        return mirror;
    }

    /** The followed branch and its head commit, as the last fetch found them. */
    public record Head(String branch, String commit) {
    }

    /** Fetches the branch and returns its head commit; HEAD of the mirror follows the branch. */
    public Head fetch() throws GitFailure {
        try (Git git = open()) {
            String followed = branch.isPresent() ? branch.get() : defaultBranch(git);
            git.fetch().setRemote(url.real())
                    .setRefSpecs(new RefSpec("+refs/heads/" + followed + ":refs/heads/" + followed))
                    .setTimeout(seconds())
                    .call();
            Repository repo = git.getRepository();
            ObjectId head = repo.resolve("refs/heads/" + followed);
            if (head == null) {
                throw failure("branch " + followed + " does not exist in " + url.shown());
            }
            RefUpdate update = repo.updateRef("HEAD");
            update.link("refs/heads/" + followed);
            return new Head(followed, head.getName());
        } catch (GitAPIException | IOException | RuntimeException e) {
            throw failure("could not fetch " + branch.orElse("the default branch") + " from " + url.shown() + ": "
                    + rootMessage(e));
        } finally {
            forgetFetchHead();
        }
    }

    /** The branch the remote's HEAD names, as `git ls-remote --symref URL HEAD` shows it. */
    private String defaultBranch(Git git) throws GitAPIException, GitFailure {
        // Through the mirror rather than repository-less: the dumb HTTP transport needs a local repository.
        Map<String, Ref> refs = git.lsRemote().setRemote(url.real()).setTimeout(seconds()).callAsMap();
        Ref head = refs.get(Constants.HEAD);
        if (head == null) {
            throw failure(url.shown() + " has no HEAD naming a default branch (empty repository?); give --branch");
        }
        if (head.isSymbolic() && head.getTarget().getName().startsWith(Constants.R_HEADS)) {
            return head.getTarget().getName().substring(Constants.R_HEADS.length());
        }
        // Servers that do not name HEAD's target (old protocols): the branch at HEAD's commit, main and master first.
        return Stream.concat(
                        Stream.of(Constants.R_HEADS + "main", Constants.R_HEADS + "master"),
                        refs.keySet().stream().filter(name -> name.startsWith(Constants.R_HEADS)).sorted())
                .filter(name -> refs.containsKey(name) && head.getObjectId() != null
                        && head.getObjectId().equals(refs.get(name).getObjectId()))
                .findFirst().map(name -> name.substring(Constants.R_HEADS.length()))
                .orElseThrow(() -> failure(url.shown() + " does not say which branch its HEAD is; give --branch"));
    }

    /** JGit records the URL it fetched from in FETCH_HEAD; Regent never reads it, and the URL may carry a token. */
    private void forgetFetchHead() {
        try {
            Files.deleteIfExists(mirror.resolve("FETCH_HEAD"));
        } catch (IOException e) {
            // The next fetch rewrites and deletes it again.
        }
    }

    private int seconds() {
        return (int) Math.max(1, timeout.toSeconds());
    }

    private GitFailure failure(String message) {
        return new GitFailure(url.scrub(message));
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
            throw failure("could not read " + file + " at " + commit + ": " + rootMessage(e));
        }
    }

    /** The commit object's raw bytes (headers, signature, message). */
    public byte[] rawCommit(String commit) throws GitFailure {
        try (Git git = open()) {
            return git.getRepository().open(ObjectId.fromString(commit)).getBytes();
        } catch (GitAPIException | IOException | RuntimeException e) {
            throw failure("could not read commit " + commit + ": " + rootMessage(e));
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
