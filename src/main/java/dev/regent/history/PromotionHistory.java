package dev.regent.history;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.regent.approval.Approval;
import dev.regent.approval.Approvals;
import dev.regent.events.PromotionEvent;
import dev.regent.events.PromotionEvents;
import dev.regent.fs.HostFiles;
import dev.regent.fs.HostLayout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * deploy/run/history.jsonl: one JSON line per promotion that ended (succeeded, failed, rolled
 * back), appended, kept across restarts. Past {@code 2 × keep} lines it is rewritten, by rename,
 * to its newest {@code keep}, so it holds at least {@code keep} entries and cannot fill the disk.
 * Appends from threads and processes are serialized by a lock on a file beside it (not on the
 * history itself, which a trim replaces).
 */
public final class PromotionHistory implements PromotionEvents {
    public static final String FILE = "history.jsonl";
    public static final int KEEP = 500;
    private static final Logger LOG = LoggerFactory.getLogger("regent.history");
    private static final ObjectMapper LINES = HostFiles.JSON.copy().disable(SerializationFeature.INDENT_OUTPUT);
    private final Path file;
    private final int keep;
    private final Function<String, Optional<String>> signers;
    private final Function<String, Optional<Approval>> approvals;
    private long knownSize = -1;
    private long knownLines;

    /** signers: who signed a revision, for events that do not say (a commit the operator did not check). */
    public PromotionHistory(HostLayout layout, Function<String, Optional<String>> signers) {
        this(file(layout), KEEP, signers, build -> Approvals.read(layout, build));
    }

    PromotionHistory(Path file, int keep, Function<String, Optional<String>> signers,
                     Function<String, Optional<Approval>> approvals) {
        this.file = file;
        this.keep = keep;
        this.signers = signers;
        this.approvals = approvals;
    }

    public static Path file(HostLayout layout) {
        return layout.run().resolve(FILE);
    }

    /** Never throws: a history that cannot be written is logged, and the promotion goes on. */
    @Override
    public void told(PromotionEvent event) {
        try {
            HistoryEntry.of(event).map(this::completed).ifPresent(this::append);
        } catch (RuntimeException e) {
            LOG.warn("could not record {} of {} in {}: {}", event.kind(), event.revision(), file, e.toString());
        }
    }

    /** Fills in what the event may not carry: the commit's signer, and who approved an approved promotion. */
    private HistoryEntry completed(HistoryEntry entry) {
        HistoryEntry done = entry.signer().isPresent() ? entry : entry.withSigner(signers.apply(entry.revision()));
        if (!"approval".equals(done.trigger()) || done.to().isEmpty() || done.reason().contains("approved by")) {
            return done;
        }
        return approvals.apply(done.to().get())
                .map(a -> done.withReason((done.reason().isBlank() ? "" : done.reason() + "; ")
                        + "approved by " + a.by() + " at " + a.at()))
                .orElse(done);
    }

    synchronized void append(HistoryEntry entry) {
        try {
            Files.createDirectories(file.getParent());
            Path lockFile = file.resolveSibling("." + file.getFileName() + ".lock");
            try (FileChannel lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = lockChannel.lock()) {
                long before = Files.exists(file) ? Files.size(file) : 0;
                // Another process may have appended or trimmed since: count again only then.
                long lines = before == knownSize ? knownLines : countLines();
                byte[] line = (LINES.writeValueAsString(entry) + "\n").getBytes(StandardCharsets.UTF_8);
                Files.write(file, line, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                lines++;
                if (lines > 2L * keep) {
                    List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
                    HostFiles.writeAtomically(file, String.join("\n", all.subList(all.size() - keep, all.size())) + "\n");
                    lines = keep;
                }
                knownLines = lines;
                knownSize = Files.size(file);
            }
        } catch (IOException e) {
            knownSize = -1;
            throw new UncheckedIOException("could not append to " + file, e);
        }
    }

    private long countLines() throws IOException {
        if (!Files.exists(file)) {
            return 0;
        }
        long count = 0;
        for (byte b : Files.readAllBytes(file)) {
            if (b == '\n') {
                count++;
            }
        }
        return count;
    }

    /** The newest {@code limit} entries, oldest first; lines that do not parse are skipped. */
    public static List<HistoryEntry> read(Path file, int limit) {
        if (!Files.isRegularFile(file) || limit <= 0) {
            return List.of();
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + file, e);
        }
        var entries = new ArrayList<HistoryEntry>();
        for (int i = lines.size() - 1; i >= 0 && entries.size() < limit; i--) {
            parse(lines.get(i)).ifPresent(entries::add);
        }
        java.util.Collections.reverse(entries);
        return entries;
    }

    private static Optional<HistoryEntry> parse(String line) {
        try {
            HistoryEntry entry = LINES.readValue(line, HistoryEntry.class);
            return entry == null || entry.at() == null || entry.result() == null ? Optional.empty() : Optional.of(entry);
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
