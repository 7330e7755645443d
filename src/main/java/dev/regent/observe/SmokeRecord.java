package dev.regent.observe;

import java.time.Instant;
import java.util.List;

/**
 * The last smoke check of a build (deploy/run/BUILD.smoke.json): for the build made from {@code commit}
 * with these {@code paths} and {@code requests} each. A failed one holds live back until the build or
 * the smoke spec changes; {@code detail} names the path and the answer.
 */
public record SmokeRecord(String build, String commit, List<String> paths, int requests, boolean passed, String detail,
                          Instant at) {
    public static final String KIND = "smoke";

    public SmokeRecord {
        paths = List.copyOf(paths);
    }

    public boolean concerns(String commit, List<String> paths, int requests) {
        return this.commit.equals(commit) && this.paths.equals(paths) && this.requests == requests;
    }
}
