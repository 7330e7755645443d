package dev.regent.gitops;

import dev.regent.reconcile.Outcome;
import java.util.Optional;

/** Where `regent run` gets the desired state from: a file, or a followed git branch. */
public interface DesiredSource {

    /**
     * The desired state to converge now: the newest valid one, else the last one that converged.
     * Empty while none has ever been valid. Rejections are reported by the source itself.
     */
    Optional<Revision> current();

    /** What converging {@code revision} ended in. */
    void reconciled(Revision revision, Outcome outcome);
}
