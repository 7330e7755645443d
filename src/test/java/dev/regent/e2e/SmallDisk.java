package dev.regent.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;

/**
 * A small tmpfs mounted over a folder of a stack, with a ballast file to fill it. Mounted before
 * the containers start: their bind mount of the stack folder is recursive but does not receive
 * mounts made later. Failing to mount fails the test: the scenario must not pass by being skipped.
 */
final class SmallDisk implements AutoCloseable {
    final Path mountPoint;
    private final Path ballast;
    private final Stack stack;

    private SmallDisk(Stack stack, Path mountPoint) {
        this.stack = stack;
        this.mountPoint = mountPoint;
        this.ballast = mountPoint.resolve("ballast.fill");
    }

    static SmallDisk mount(Stack stack, String relative, String size) throws IOException {
        Path at = stack.root.resolve(relative);
        Files.createDirectories(at);
        var mounted = stack.run(List.of("mount", "-t", "tmpfs", "-o", "size=" + size, "regent-e2e-small", at.toString()),
                Duration.ofSeconds(30));
        if (mounted.exit() != 0) {
            throw new IllegalStateException("could not mount a " + size + " tmpfs on " + at
                    + " (this test needs root and mount(2), as CI has): " + mounted.output());
        }
        return new SmallDisk(stack, at);
    }

    /** Writes the ballast until the filesystem refuses with ENOSPC; returns the bytes written. */
    long fill() {
        try (FileChannel channel = FileChannel.open(ballast, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
            while (true) {
                chunk.clear();
                try {
                    channel.write(chunk);
                } catch (IOException full) {
                    if (!String.valueOf(full.getMessage()).contains("No space left on device")) {
                        throw full;
                    }
                    break;
                }
            }
            chunk = ByteBuffer.allocate(4096);
            while (true) {
                chunk.clear();
                try {
                    channel.write(chunk);
                } catch (IOException full) {
                    break;
                }
            }
            return channel.size();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Frees {@code bytes} of the ballast (tmpfs frees whole pages). */
    void release(long bytes) {
        try (FileChannel channel = FileChannel.open(ballast, StandardOpenOption.WRITE)) {
            channel.truncate(Math.max(0, channel.size() - bytes));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void empty() {
        try {
            Files.deleteIfExists(ballast);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    long freeBytes() {
        try {
            return Files.getFileStore(mountPoint).getUsableSpace();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Unmounts, lazily if something still has it open; the stack's rm -rf must never reach into it. */
    @Override
    public void close() {
        var unmounted = stack.run(List.of("umount", mountPoint.toString()), Duration.ofSeconds(30));
        if (unmounted.exit() != 0) {
            var lazy = stack.run(List.of("umount", "-l", mountPoint.toString()), Duration.ofSeconds(30));
            if (lazy.exit() != 0) {
                throw new IllegalStateException("could not unmount " + mountPoint + ": " + unmounted.output() + lazy.output());
            }
        }
    }
}
