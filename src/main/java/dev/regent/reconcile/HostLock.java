package dev.regent.reconcile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.regent.fs.HostFiles;
import dev.regent.time.Sleeper;
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
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * One Regent acts on a host at a time. The lock is an fcntl lock on deploy/run/regent.lock, held
 * by an open descriptor, so the kernel releases it the moment its holder exits or is killed: there
 * is no lease to expire and no stale lock. The file only names the last holder (as JSON) for the
 * message others get; a file left behind by a dead holder blocks nobody, because what is checked
 * is the kernel lock, never the file's content.
 */
public final class HostLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private HostLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Who holds the lock: the Regent command, its process, its host and when it took the lock. */
    public record Owner(String command, long pid, String host, Instant since) {
        public String describe() {
            return "regent " + command + " pid " + pid + " on " + host + " since " + since;
        }
    }

    /**
     * What the lock file says about its holder: the owner it names, or empty with the file's raw
     * text when that is no owner (a lock file written by an older Regent as plain text, or damaged).
     */
    public record Holder(Optional<Owner> owner, String raw) {
        static Holder parse(String text) {
            String raw = text.strip();
            try {
                Owner owner = HostFiles.JSON.readValue(raw, Owner.class);
                if (owner != null && owner.command() != null && owner.host() != null && owner.since() != null) {
                    return new Holder(Optional.of(owner), raw);
                }
            } catch (JsonProcessingException notAnOwner) {
                // shown raw below
            }
            return new Holder(Optional.empty(), raw);
        }

        /** Whether the holder is a `regent run` loop, which re-reads the desired state by itself. */
        public boolean isRunLoop() {
            return owner.filter(o -> o.command().equals("run")).isPresent();
        }

        public String describe() {
            return owner.map(Owner::describe).orElse(raw.isEmpty() ? "holder unknown" : raw);
        }
    }

    /** The lock, or empty after telling {@code busy} who holds it. */
    public static Optional<HostLock> tryAcquire(Path file, Owner owner, Consumer<Holder> busy) {
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
                busy.accept(readHolder(file));
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
    public static HostLock await(Path file, Owner owner, Consumer<Holder> waiting, Duration poll, Sleeper sleeper)
            throws InterruptedException {
        Holder told = null;
        while (true) {
            var holder = new AtomicReference<Holder>();
            Optional<HostLock> lock = tryAcquire(file, owner, holder::set);
            if (lock.isPresent()) {
                return lock.get();
            }
            if (!holder.get().equals(told)) {
                told = holder.get();
                waiting.accept(told);
            }
            sleeper.sleep(poll);
        }
    }

    /** Best effort: the lock is held by the descriptor, so a full disk must not stop it being taken. */
    private static void writeOwner(FileChannel channel, Owner owner) {
        try {
            byte[] text = (json(owner) + "\n").getBytes(StandardCharsets.UTF_8);
            channel.write(ByteBuffer.wrap(text), 0);
            channel.truncate(text.length);
            channel.force(true);
        } catch (IOException ignored) {
            // Others then see the previous holder's name or part of it; the lock itself is held.
        }
    }

    private static String json(Owner owner) throws JsonProcessingException {
        return HostFiles.JSON.writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsString(owner);
    }

    private static Holder readHolder(Path file) {
        try {
            return Holder.parse(Files.readString(file));
        } catch (IOException e) {
            return new Holder(Optional.empty(), "holder unknown: " + e.getMessage());
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
