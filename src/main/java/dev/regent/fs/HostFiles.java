package dev.regent.fs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;

/** Filesystem effects with the guarantees the host relies on: atomic links and files, confined removal. */
public final class HostFiles {
    public static final ObjectMapper JSON = withRegentTypes(new ObjectMapper()).enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * How Regent's records map to any Jackson format: Optional and java.time values, dates as text,
     * unknown fields ignored on read. Every mapper Regent writes with is configured here, so JSON
     * and YAML output hold the same values.
     */
    public static <M extends ObjectMapper> M withRegentTypes(M mapper) {
        mapper.registerModule(new JavaTimeModule())
                .registerModule(new com.fasterxml.jackson.datatype.jdk8.Jdk8Module())
                .disable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        return mapper;
    }

    private HostFiles() {
    }

    /**
     * Points {@code link} at {@code target} (relative) in one rename(2): readers see the old or the
     * new target, never a missing name. Returns false when it already pointed there.
     */
    public static boolean pointLink(Path link, String target) {
        try {
            if (readLink(link).filter(target::equals).isPresent()) {
                return false;
            }
            Path temp = link.resolveSibling("." + link.getFileName() + ".new");
            Files.deleteIfExists(temp);
            Files.createSymbolicLink(temp, Path.of(target));
            Files.move(temp, link, StandardCopyOption.ATOMIC_MOVE);
            syncFolder(link.getParent());
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("could not point " + link + " at " + target, e);
        }
    }

    public static Optional<String> readLink(Path link) {
        return readLinkStrictly(link).orAbsent();
    }

    /** A link's target; a name that exists but is no symbolic link is unreadable, not absent. */
    public static FileRead<String> readLinkStrictly(Path link) {
        if (!Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
            return new FileRead.Absent<>();
        }
        if (!Files.isSymbolicLink(link)) {
            return new FileRead.Unreadable<>(link, "it is not a symbolic link");
        }
        try {
            return new FileRead.Present<>(Files.readSymbolicLink(link).toString());
        } catch (NoSuchFileException e) {
            return new FileRead.Absent<>();
        } catch (IOException e) {
            return new FileRead.Unreadable<>(link, String.valueOf(e.getMessage()));
        }
    }

    /** Removes a link (never what it points at). Returns false when there was none. */
    public static boolean removeLink(Path link) {
        try {
            if (!Files.isSymbolicLink(link)) {
                return false;
            }
            Files.delete(link);
            syncFolder(link.getParent());
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("could not remove link " + link, e);
        }
    }

    /** Writes a file by rename so that a reader or a crash never sees half of it. */
    public static void writeAtomically(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            Path temp = file.resolveSibling("." + file.getFileName() + ".new");
            Files.writeString(temp, content);
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file, e);
        }
    }

    public static void writeJson(Path file, Object value) {
        try {
            writeAtomically(file, JSON.writeValueAsString(value) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("could not encode " + file, e);
        }
    }

    /** A JSON file's value, an unreadable file counting as absent: only for files no safety rule reads. */
    public static <T> Optional<T> readJson(Path file, Class<T> type) {
        return read(file, type).orAbsent();
    }

    /** A JSON file's value, or why it could not be read or parsed (the parser's message and position). */
    public static <T> FileRead<T> read(Path file, Class<T> type) {
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            return new FileRead.Absent<>();
        }
        try {
            T value = JSON.readValue(Files.readAllBytes(file), type);
            return value == null ? new FileRead.Unreadable<>(file, "it holds JSON null") : new FileRead.Present<>(value);
        } catch (JsonProcessingException e) {
            String at = e.getLocation() == null ? ""
                    : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
            return new FileRead.Unreadable<>(file, e.getOriginalMessage() + at);
        } catch (NoSuchFileException e) {
            return new FileRead.Absent<>(); // removed since the check above (a build being removed)
        } catch (IOException e) {
            return new FileRead.Unreadable<>(file, String.valueOf(e.getMessage()));
        }
    }

    /**
     * Deletes {@code folder} and everything in it without following symlinks, and refuses any
     * folder outside {@code confinedTo}: a link planted in a build can never make Regent delete
     * files elsewhere.
     */
    public static void removeTree(Path folder, Path confinedTo) {
        Path absolute = folder.toAbsolutePath().normalize();
        if (absolute.getParent() == null || !Files.isDirectory(absolute.getParent())) {
            return;
        }
        Path real;
        Path confinement;
        try {
            // Resolve the parent for real: a symlinked parent folder must not lead the removal outside.
            real = absolute.getParent().toRealPath().resolve(absolute.getFileName());
            confinement = confinedTo.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException("could not resolve " + folder, e);
        }
        if (!real.startsWith(confinement) || real.equals(confinement)) {
            throw new IllegalArgumentException("refusing to remove " + folder + ": not inside " + confinedTo);
        }
        if (!Files.exists(real, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (Files.isSymbolicLink(real) || !Files.isDirectory(real, LinkOption.NOFOLLOW_LINKS)) {
            uncheckedDelete(real);
            return;
        }
        try {
            Files.walkFileTree(real, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                    Files.delete(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("could not remove " + folder, e);
        }
    }

    public static DirectoryStream<Path> list(Path folder) throws IOException {
        return Files.newDirectoryStream(folder);
    }

    private static void uncheckedDelete(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new UncheckedIOException("could not remove " + path, e);
        }
    }

    private static void syncFolder(Path folder) {
        try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException ignored) {
            // Durability only: the rename itself already happened.
        }
    }
}
