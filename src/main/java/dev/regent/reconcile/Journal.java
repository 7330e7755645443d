package dev.regent.reconcile;

import dev.regent.apply.ActionResult;
import dev.regent.fs.HostFiles;
import dev.regent.plan.Action;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * deploy/run/journal.jsonl: one JSON line per action and per reconcile, with the revision it
 * served, kept across restarts; `regent history` reads it. It is trimmed to its last lines when it
 * grows past a bound, so it cannot fill the disk.
 */
public final class Journal implements ReconcileListener {
    private static final int KEEP_LINES = 5000;
    private final Path file;
    private final Clock clock;
    private volatile String revision = "file";
    private int actions;

    public Journal(Path file, Clock clock) {
        this.file = file;
        this.clock = clock;
    }

    public void revision(String id) {
        revision = id;
        actions = 0;
    }

    /** One line of the journal. kind is "action" or "reconcile". */
    public record Entry(Instant at, String kind, String revision, String action, String build, String outcome,
                        long millis, String detail) {
    }

    @Override
    public void starting(Action action) {
    }

    @Override
    public void finished(Action action, ActionResult result, Duration took) {
        actions++;
        boolean done = result instanceof ActionResult.Done;
        String detail = done ? ((ActionResult.Done) result).detail() : ((ActionResult.Failed) result).reason();
        append(new Entry(clock.instant(), "action", revision, action.describe(), action.build(),
                done ? "done" : "failed", took.toMillis(), detail));
    }

    @Override
    public void drift(Action action) {
        append(new Entry(clock.instant(), "drift", revision, action.describe(), action.build(), "detected", 0,
                "the host no longer matched a converged desired state"));
    }

    @Override
    public void progress(String message) {
    }

    @Override
    public void ended(Outcome outcome) {
        if (outcome instanceof Outcome.Converged && actions == 0) {
            return;
        }
        append(new Entry(clock.instant(), "reconcile", revision, "", "", outcome.getClass().getSimpleName(), 0,
                String.join("; ", Outcome.reasons(outcome))));
    }

    private synchronized void append(Entry entry) {
        try {
            Files.createDirectories(file.getParent());
            String line = HostFiles.JSON.copy().disable(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(entry) + "\n";
            Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            if (Files.size(file) > 4L * 1024 * 1024) {
                List<String> lines = Files.readAllLines(file);
                HostFiles.writeAtomically(file, String.join("\n", lines.subList(Math.max(0, lines.size() - KEEP_LINES), lines.size())) + "\n");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the journal " + file, e);
        }
    }

    /** The last {@code count} entries, oldest first. */
    public static List<Entry> read(Path file, int count) {
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        try {
            List<String> lines = Files.readAllLines(file);
            var entries = new ArrayList<Entry>();
            for (String line : lines.subList(Math.max(0, lines.size() - count), lines.size())) {
                parse(line).ifPresent(entries::add);
            }
            return entries;
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the journal " + file, e);
        }
    }

    private static Optional<Entry> parse(String line) {
        try {
            return Optional.of(HostFiles.JSON.readValue(line, Entry.class));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
