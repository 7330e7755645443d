package dev.regent.traffic;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Follows a log file nginx appends to: each {@link #poll()} returns the complete lines appended since
 * the last one, reading at most {@code maxBytes}; a partial last line is kept for the next call.
 * The file is held open between calls, so it is followed by identity, not by name:
 * <ul>
 * <li>truncated (shorter than what was read): read again from 0;</li>
 * <li>renamed away (rotated) or replaced: the old file is read to its end first (nginx writes to
 *     it until it reopens its logs), then the file now at the path from 0;</li>
 * <li>missing: the old file, if any, keeps being read; nothing otherwise.</li>
 * </ul>
 * Holding the old file open also keeps its inode from being reused by the new file. Not thread-safe:
 * one feeding thread calls it.
 */
public final class LogTailer implements AutoCloseable {
    /** A line longer than this without a newline is not nginx's: it is dropped. */
    static final int MAX_LINE_BYTES = 64 * 1024;
    private final Path file;
    private final int maxBytes;
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    private FileChannel channel;
    private Object identity;
    private long offset;

    public LogTailer(Path file, int maxBytes) {
        this.file = file;
        this.maxBytes = maxBytes;
    }

    public List<String> poll() throws IOException {
        var lines = new ArrayList<String>();
        Optional<Object> atPath = identity(file);
        if (channel == null) {
            if (atPath.isEmpty() || !open()) {
                return lines;
            }
        }
        int budget = maxBytes;
        if (atPath.isPresent() && !atPath.get().equals(identity)) {
            budget -= read(lines, budget);
            if (offset < channel.size()) {
                return lines;
            }
            close();
            if (!open()) {
                return lines;
            }
        }
        if (channel.size() < offset) {
            offset = 0;
            partial.reset();
        }
        read(lines, budget);
        return lines;
    }


    /** Opens the file now at the path; false when it vanished meanwhile. */
    private boolean open() throws IOException {
        Optional<Object> before = identity(file);
        FileChannel opened;
        try {
            opened = FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            return false;
        }
        Optional<Object> after = identity(file);
        // Replaced between the two looks: which one was opened is unknown, so the next poll starts over.
        channel = opened;
        identity = before.isPresent() && before.equals(after) ? before.get() : new Object();
        offset = 0;
        partial.reset();
        return true;
    }

    /** Reads up to {@code budget} bytes at the offset into complete lines; returns the bytes read. */
    private int read(List<String> lines, int budget) throws IOException {
        int total = 0;
        ByteBuffer buffer = ByteBuffer.allocate(Math.min(budget, 64 * 1024));
        while (total < budget) {
            buffer.clear().limit(Math.min(buffer.capacity(), budget - total));
            int n = channel.read(buffer, offset);
            if (n <= 0) {
                break;
            }
            offset += n;
            total += n;
            split(buffer.array(), n, lines);
        }
        return total;
    }

    private void split(byte[] bytes, int length, List<String> lines) {
        int start = 0;
        for (int i = 0; i < length; i++) {
            if (bytes[i] == '\n') {
                partial.write(bytes, start, i - start);
                lines.add(partial.toString(StandardCharsets.UTF_8));
                partial.reset();
                start = i + 1;
            }
        }
        partial.write(bytes, start, length - start);
        if (partial.size() > MAX_LINE_BYTES) {
            partial.reset();
        }
    }

    private static Optional<Object> identity(Path file) throws IOException {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            return Optional.of(Objects.requireNonNullElse(attributes.fileKey(), attributes.creationTime()));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    @Override
    public void close() throws IOException {
        if (channel != null) {
            channel.close();
            channel = null;
        }
    }
}
