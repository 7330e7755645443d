package dev.regent.reconcile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One Regent acts on a host at a time. The lock is an fcntl lock on deploy/run/regent.lock, held
 * by an open descriptor, so the kernel releases it the moment its holder exits or is killed: there
 * is no lease to expire and no stale lock. The file's text only names the last holder for the
 * message others get; a file left behind by a dead holder blocks nobody, because what is checked
 * is the kernel lock, never the text.
 */
public final class HostLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private HostLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** The lock, or empty with the holder's description appended to {@code holder}. */
    public static Optional<HostLock> tryAcquire(Path file, String owner, StringBuilder holder) {
        try {
            Files.createDirectories(file.getParent());
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
            if (lock == null) {
                holder.append(describeHolder(file));
                channel.close();
                return Optional.empty();
            }
            writeOwner(channel, owner);
            return Optional.of(new HostLock(channel, lock));
        } catch (IOException e) {
            throw new UncheckedIOException("could not open the host lock " + file, e);
        }
    }

    /**
     * Waits until the lock is free and takes it, telling {@code waiting} the holder each time it
     * changes. Polls rather than blocking in fcntl: a blocked waiter would keep waiting on the old
     * file if the lock file were deleted and made again, while another Regent locked the new one.
     */
    public static HostLock await(Path file, String owner, Consumer<String> waiting, Duration poll) throws InterruptedException {
        String told = null;
        while (true) {
            var holder = new StringBuilder();
            Optional<HostLock> lock = tryAcquire(file, owner, holder);
            if (lock.isPresent()) {
                return lock.get();
            }
            if (!holder.toString().equals(told)) {
                told = holder.toString();
                waiting.accept(told);
            }
            Thread.sleep(poll.toMillis());
        }
    }

    /** Best effort: the lock is held by the descriptor, so a full disk must not stop it being taken. */
    private static void writeOwner(FileChannel channel, String owner) {
        try {
            byte[] text = (owner + "\n").getBytes(StandardCharsets.UTF_8);
            channel.write(ByteBuffer.wrap(text), 0);
            channel.truncate(text.length);
            channel.force(true);
        } catch (IOException ignored) {
            // Others then see the previous holder's name or part of it; the lock itself is held.
        }
    }

    private static String describeHolder(Path file) {
        try {
            String text = Files.readString(file).strip();
            return text.isEmpty() ? "holder unknown" : text;
        } catch (IOException e) {
            return "holder unknown: " + e.getMessage();
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException ignored) {
            // The kernel drops the lock with the descriptor anyway.
        }
    }
}
