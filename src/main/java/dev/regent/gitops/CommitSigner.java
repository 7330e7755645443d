package dev.regent.gitops;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Who signed a followed commit, for the promotion history: the trusted key's user ID when
 * `regent run --trusted-keys` verified it, else the signing key's id marked "not verified";
 * empty for an unsigned commit or a revision that is no commit (a desired-state file).
 */
public final class CommitSigner {
    private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");
    private final GitSource git;
    private final Optional<SignatureCheck> trusted;

    public CommitSigner(GitSource git, Optional<SignatureCheck> trusted) {
        this.git = git;
        this.trusted = trusted;
    }

    public Optional<String> signer(String revision) {
        if (!COMMIT.matcher(revision).matches()) {
            return Optional.empty();
        }
        try {
            byte[] raw = git.rawCommit(revision);
            return trusted.flatMap(check -> check.signer(raw))
                    .or(() -> SignatureCheck.signingKey(raw).map(id -> String.format("key %016X (not verified)", id)));
        } catch (GitSource.GitFailure e) {
            return Optional.empty();
        }
    }
}
