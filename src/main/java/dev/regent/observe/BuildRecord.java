package dev.regent.observe;

import java.time.Instant;

/** regent-build.json, written last into a build folder: the folder is complete and made from this commit. */
public record BuildRecord(String name, String ref, String commit, String path, int port, String deployTag, Instant createdAt) {
    public static final String FILE = "regent-build.json";
}
