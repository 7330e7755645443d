package dev.regent.fs;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;

/**
 * Incremental builds, as the seed's make_incremental_build: a file of a new build that is
 * byte-identical to the file at the same path in a base build becomes a hard link to it. Safe
 * because builds are immutable once complete: nothing writes into a finished build's files.
 */
public final class HardLinks {
    private HardLinks() {
    }

    /** Links identical regular files of {@code tree} to those of {@code base}; returns the bytes saved. */
    public static long linkIdentical(Path tree, Path base) {
        if (!Files.isDirectory(tree, LinkOption.NOFOLLOW_LINKS) || !Files.isDirectory(base)) {
            return 0;
        }
        long[] saved = {0};
        try {
            Files.walkFileTree(tree, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    if (!attrs.isRegularFile()) {
                        return FileVisitResult.CONTINUE;
                    }
                    Path twin = base.resolve(tree.relativize(file).toString());
                    if (Files.isRegularFile(twin, LinkOption.NOFOLLOW_LINKS) && Files.size(twin) == attrs.size()
                            && !Files.isSameFile(twin, file) && sameBytes(file, twin)) {
                        Path temp = file.resolveSibling("." + file.getFileName() + ".link");
                        Files.deleteIfExists(temp);
                        Files.createLink(temp, twin);
                        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                        saved[0] += attrs.size();
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("could not link " + tree + " to " + base, e);
        }
        return saved[0];
    }

    private static boolean sameBytes(Path a, Path b) throws IOException {
        try (InputStream x = Files.newInputStream(a); InputStream y = Files.newInputStream(b)) {
            byte[] bx = new byte[64 * 1024];
            byte[] by = new byte[64 * 1024];
            while (true) {
                int nx = x.readNBytes(bx, 0, bx.length);
                int ny = y.readNBytes(by, 0, by.length);
                if (nx != ny || !Arrays.equals(bx, 0, nx, by, 0, ny)) {
                    return false;
                }
                if (nx == 0) {
                    return true;
                }
            }
        }
    }
}
