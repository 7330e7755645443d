package dev.regent.gitops;

import dev.regent.fs.HostFiles;
import dev.regent.reconcile.Outcome;
import dev.regent.spec.LoadResult;
import dev.regent.spec.SpecError;
import dev.regent.spec.SpecLoader;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows a branch: each call fetches, and a new head commit's desired state is validated before
 * anything is applied. An invalid commit is reported with its revision and the last good state
 * keeps serving; a newer commit replaces a failing one at once (nothing retries a bad commit in
 * the way of its fix); an unreachable remote is reported and changes nothing.
 */
public final class GitFollower implements DesiredSource {
    private static final Logger LOG = LoggerFactory.getLogger("regent.git");
    private final GitSource git;
    private final String file;
    private final Path statusFile;
    private final Clock clock;
    private final Consumer<List<SpecError>> rejected;
    private final Optional<SignatureCheck> signatures;
    private final Optional<String> host;
    private Optional<String> seen = Optional.empty();
    private Optional<Revision> pending = Optional.empty();
    private Optional<Revision> lastGood = Optional.empty();
    private SyncStatus status;

    /** signatures: when present, only commits signed by one of its keys are applied. */
    public GitFollower(GitSource git, String file, Path statusFile, Clock clock, Consumer<List<SpecError>> rejected,
                       Optional<SignatureCheck> signatures) {
        this(git, file, statusFile, clock, rejected, signatures, Optional.empty());
    }

    /** host: the fleet host this loop applies the file for; required by a fleet file, refused by a host file. */
    public GitFollower(GitSource git, String file, Path statusFile, Clock clock, Consumer<List<SpecError>> rejected,
                       Optional<SignatureCheck> signatures, Optional<String> host) {
        this.signatures = signatures;
        this.host = host;
        this.git = git;
        this.file = file;
        this.statusFile = statusFile;
        this.clock = clock;
        this.rejected = rejected;
        // Compared in their redacted forms, which is all a status file ever holds. Following the default
        // branch, the branch it last resolved to is kept until the next fetch says otherwise.
        this.status = HostFiles.readJson(statusFile, SyncStatus.class)
                .filter(s -> s.source().equals(git.url()) && (git.followsDefaultBranch() || s.branch().equals(git.branch())))
                .orElse(new SyncStatus(git.url(), git.branch(), Optional.empty(), Optional.empty(), Optional.empty(),
                        Optional.empty(), Optional.empty()));
    }

    @Override
    public synchronized Optional<Revision> current() {
        String head;
        String branch;
        try {
            GitSource.Head fetched = git.fetch();
            head = fetched.commit();
            branch = fetched.branch();
        } catch (GitSource.GitFailure e) {
            LOG.warn("{}; keeping revision {}", e.getMessage(), status.applied().orElse("(none)"));
            save(new SyncStatus(status.source(), status.branch(), status.applied(), status.attempted(), status.reason(),
                    status.lastFetch(), Optional.of(e.getMessage())));
            return pending.or(() -> lastGood);
        }
        save(new SyncStatus(status.source(), branch, status.applied(), status.attempted(), status.reason(),
                Optional.of(clock.instant()), Optional.empty()));
        if (seen.equals(Optional.of(head))) {
            return pending.or(() -> lastGood);
        }
        seen = Optional.of(head);
        String label = file + "@" + head.substring(0, 12);
        Optional<String> text;
        try {
            if (signatures.isPresent()) {
                Optional<String> unsigned = signatures.get().reject(git.rawCommit(head));
                if (unsigned.isPresent()) {
                    reject(head, "signature refused: " + unsigned.get());
                    pending = Optional.empty();
                    return lastGood;
                }
            }
            text = git.read(head, file);
        } catch (GitSource.GitFailure e) {
            reject(head, e.getMessage());
            return pending.or(() -> lastGood);
        }
        if (text.isEmpty()) {
            reject(head, "commit has no " + file);
            return lastGood;
        }
        LoadResult loaded = SpecLoader.parse(Path.of(label), text.get(), host);
        if (loaded instanceof LoadResult.Invalid invalid) {
            rejected.accept(invalid.errors());
            reject(head, "invalid desired state: " + invalid.errors().get(0));
            pending = Optional.empty();
            return lastGood;
        }
        LOG.info("new revision {} of {}", head.substring(0, 12), branch);
        pending = Optional.of(new Revision(((LoadResult.Valid) loaded).state(), head));
        return pending;
    }

    @Override
    public synchronized void reconciled(Revision revision, Outcome outcome) {
        if (outcome instanceof Outcome.Converged) {
            lastGood = Optional.of(revision);
            if (pending.filter(revision::equals).isPresent()) {
                pending = Optional.empty();
            }
            // A newer rejected commit stays the attempted one, with its reason, while the old state converges.
            boolean newest = seen.equals(Optional.of(revision.id()));
            save(new SyncStatus(status.source(), status.branch(), Optional.of(revision.id()),
                    newest ? Optional.of(revision.id()) : status.attempted(),
                    newest ? Optional.empty() : status.reason(), status.lastFetch(), status.fetchError()));
        } else if (!revision.id().equals(status.applied().orElse(""))) {
            save(new SyncStatus(status.source(), status.branch(), status.applied(), Optional.of(revision.id()),
                    Optional.of(String.join("; ", Outcome.reasons(outcome))), status.lastFetch(), status.fetchError()));
        }
    }

    /** What the loop follows, for its log: the URL redacted, and the branch. */
    @Override
    public String toString() {
        return git.url() + " " + git.branch();
    }

    public synchronized SyncStatus status() {
        return status;
    }

    private void reject(String head, String reason) {
        LOG.error("revision {} rejected, nothing applied: {}", head.substring(0, 12), reason);
        save(new SyncStatus(status.source(), status.branch(), status.applied(), Optional.of(head), Optional.of(reason),
                status.lastFetch(), status.fetchError()));
    }

    private void save(SyncStatus next) {
        status = next;
        HostFiles.writeJson(statusFile, next);
    }
}
