package dev.regent.observe;

import dev.regent.fs.HostLayout;
import java.nio.file.Path;
import java.time.Instant;

/**
 * deploy/run/canary.json: a canary of {@code build} (made from {@code commit}) with {@code workers}
 * processes has served on live build {@code of}'s router since {@code at}, for {@code revision};
 * written once it was seen serving. {@code passed}: its analysis passed (written before it is
 * withdrawn, so the promotion that follows survives a crash in between).
 */
public record CanaryRecord(String build, String of, int workers, String commit, String revision, Instant at,
                           boolean passed) {

    public static Path path(HostLayout layout) {
        return layout.run().resolve("canary.json");
    }

    /** Whether this is the record of the canary of {@code build} as made from {@code commit} on {@code of}'s router. */
    public boolean concerns(String build, String of, int workers, String commit) {
        return this.build.equals(build) && this.of.equals(of) && this.workers == workers && this.commit.equals(commit);
    }

    public CanaryRecord withPassed() {
        return new CanaryRecord(build, of, workers, commit, revision, at, true);
    }
}
