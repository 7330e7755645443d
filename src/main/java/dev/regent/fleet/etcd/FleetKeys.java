package dev.regent.fleet.etcd;

import io.etcd.jetcd.ByteSequence;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The etcd keys of one fleet under its prefix (default {@code /regent/<fleet>/}):
 * {@code hosts/<host>}, {@code slots/<revision-key>/<host>}, {@code halts/<revision-key>},
 * {@code migrations/<revision-key>/lead} and {@code .../result}. A revision-key is the first 16
 * hex digits of the revision's SHA-256, so any revision string (slashes, spaces) makes one safe
 * key segment.
 */
public record FleetKeys(String prefix) {

    public FleetKeys {
        if (!prefix.endsWith("/")) {
            throw new IllegalArgumentException("a key prefix ends with '/': " + prefix);
        }
    }

    public static FleetKeys forFleet(String fleet) {
        if (fleet.isBlank() || fleet.contains("/")) {
            throw new IllegalArgumentException("a fleet name is one non-empty key segment: '" + fleet + "'");
        }
        return new FleetKeys("/regent/" + fleet + "/");
    }

    public static String revisionKey(String revision) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(revision.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    public String hosts() {
        return prefix + "hosts/";
    }

    public String host(String host) {
        return hosts() + host;
    }

    public String slots(String revision) {
        return prefix + "slots/" + revisionKey(revision) + "/";
    }

    public String slot(String revision, String host) {
        return slots(revision) + host;
    }

    public String halt(String revision) {
        return prefix + "halts/" + revisionKey(revision);
    }

    public String migrationLead(String revision) {
        return prefix + "migrations/" + revisionKey(revision) + "/lead";
    }

    public String migrationResult(String revision) {
        return prefix + "migrations/" + revisionKey(revision) + "/result";
    }

    /** The last segment of a key under folder, e.g. the host of a slot key. */
    static String lastSegment(ByteSequence key, String folder) {
        return key.toString(StandardCharsets.UTF_8).substring(folder.length());
    }

    static ByteSequence bytes(String text) {
        return ByteSequence.from(text, StandardCharsets.UTF_8);
    }
}
