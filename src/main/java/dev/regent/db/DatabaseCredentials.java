package dev.regent.db;

import dev.regent.fs.HostLayout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The credentials of the compose service {@code db}: role and database {@code regent}, whose
 * password is {@code deploy/secrets/db-password} (git-ignored with the rest of deploy/). The URL
 * holds the password: it goes only into build environments and build.ini, never into logs,
 * status or error messages.
 */
public final class DatabaseCredentials {
    public static final String USER = "regent";
    public static final String DATABASE = "regent";
    public static final String HOST = "db";
    public static final int PORT = 5432;

    private DatabaseCredentials() {
    }

    public static Path passwordFile(HostLayout layout) {
        return layout.deploy().resolve("secrets").resolve("db-password");
    }

    /**
     * The DATABASE_URL every build gets, or empty while the password file does not exist (a host
     * without the db service). A password file that exists but cannot be read is an error, not
     * "no database": builds would otherwise silently lose their database.
     */
    public static Optional<String> databaseUrl(HostLayout layout) {
        Path file = passwordFile(layout);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(urlFor(Files.readString(file, StandardCharsets.UTF_8).replaceAll("[\r\n]", "")));
        } catch (IOException e) {
            throw new IllegalStateException("the database password file deploy/secrets/db-password exists but cannot be read ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    /** postgres://regent:PASSWORD@db:5432/regent with the password percent-encoded. */
    public static String urlFor(String password) {
        String encoded = URLEncoder.encode(password, StandardCharsets.UTF_8).replace("+", "%20");
        return "postgres://" + USER + ":" + encoded + "@" + HOST + ":" + PORT + "/" + DATABASE;
    }

    /**
     * Makes the password file (random, mode 600, its folder 700) unless it exists; true when made.
     * Written under a temporary name and renamed, so a reader never sees half a password.
     */
    public static boolean ensurePassword(Path file, SecureRandom random) {
        if (Files.exists(file)) {
            return false;
        }
        try {
            Path folder = file.getParent();
            if (!Files.isDirectory(folder)) {
                Files.createDirectories(folder, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            byte[] bytes = new byte[24];
            random.nextBytes(bytes);
            Path temp = folder.resolve("." + file.getFileName() + ".new");
            Files.deleteIfExists(temp);
            Files.createFile(temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(temp, HexFormat.of().formatHex(bytes) + "\n");
            // A link, unlike a rename, never replaces a password another process made meanwhile.
            try {
                Files.createLink(file, temp);
                return true;
            } catch (FileAlreadyExistsException raced) {
                return false;
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file, e);
        }
    }
}
