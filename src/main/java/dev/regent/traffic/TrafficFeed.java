package dev.regent.traffic;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * One tick of following nginx's traffic log: the lines appended since the last tick, parsed and
 * handed to every sink (the window, the metrics), then the log rotated once it passed its bound.
 * Run by one scheduled thread, never the reconcile loop's.
 */
public final class TrafficFeed implements AutoCloseable {
    public static final long ROTATE_AT_BYTES = 32L * 1024 * 1024;
    public static final int MAX_READ_BYTES = 8 * 1024 * 1024;
    private final Path file;
    private final LogTailer tailer;
    private final List<Consumer<LoggedRequest>> sinks;
    private final LogRotation rotation;
    private final long rotateAt;

    public TrafficFeed(Path file, int maxReadBytes, long rotateAt, LogRotation rotation, List<Consumer<LoggedRequest>> sinks) {
        this.file = file;
        this.tailer = new LogTailer(file, maxReadBytes);
        this.sinks = List.copyOf(sinks);
        this.rotation = rotation;
        this.rotateAt = rotateAt;
    }

    /** Returns how many requests were read. */
    public int tick() throws IOException {
        // nginx -t fails when a log's folder is missing: keep it there even if someone removed it.
        Files.createDirectories(file.getParent());
        int requests = 0;
        for (String line : tailer.poll()) {
            var request = LoggedRequest.parse(line);
            if (request.isPresent()) {
                requests++;
                sinks.forEach(sink -> sink.accept(request.get()));
            }
        }
        if (size() > rotateAt) {
            rotation.rotate();
        }
        return requests;
    }

    private long size() throws IOException {
        try {
            return Files.size(file);
        } catch (NoSuchFileException e) {
            return 0;
        }
    }

    @Override
    public void close() throws IOException {
        tailer.close();
    }
}
