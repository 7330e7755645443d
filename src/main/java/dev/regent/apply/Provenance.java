package dev.regent.apply;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Where the desired state being applied came from, for the records and events of a promotion.
 * {@code revision}: the commit id under `regent run --git`, else "file:" + the sha256 of the file's
 * bytes. {@code trigger}: file, git or cli.
 */
public record Provenance(String revision, String trigger) {
    public static final Provenance UNKNOWN = new Provenance("unknown", "cli");

    /** The revision id of a desired-state file with these bytes. */
    public static String fileRevision(byte[] bytes) {
        try {
            return "file:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    /** A desired-state file as it is now; unreadable, it is {@link #UNKNOWN} with this trigger. */
    public static Provenance ofFile(Path file, String trigger) {
        try {
            return new Provenance(fileRevision(Files.readAllBytes(file)), trigger);
        } catch (IOException | RuntimeException e) {
            return new Provenance(UNKNOWN.revision(), trigger);
        }
    }

    /** The trigger a revision id implies under `regent run`. */
    public static Provenance ofRun(String revision) {
        return new Provenance(revision, revision.startsWith("file:") || revision.equals("file") ? "file" : "git");
    }
}
