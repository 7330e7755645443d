package dev.regent.notify;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.regent.fs.HostFiles;
import dev.regent.fs.HostLayout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * deploy/run/notifications/: {@code accepted.json}, the keys of the events already taken (so a
 * restart or a resync telling an event again sends nothing); {@code pending/}, one file per notice
 * not yet delivered to a receiver (sent again after a restart); {@code receivers.json}, each
 * receiver's state for `regent status`. Used by one thread at a time.
 */
final class Outbox {
    /** Far more events than a host makes between two retries of the same one. */
    static final int KEEP_KEYS = 5000;
    private final Path folder;

    Outbox(Path folder) {
        this.folder = folder;
    }

    static Path folder(HostLayout layout) {
        return layout.run().resolve("notifications");
    }

    private Path pendingFolder() {
        return folder.resolve("pending");
    }

    LinkedHashSet<String> acceptedKeys() {
        return new LinkedHashSet<>(HostFiles.read(folder.resolve("accepted.json"), String[].class).orAbsent()
                .map(List::of).orElseGet(List::of));
    }

    void saveAccepted(LinkedHashSet<String> keys) {
        while (keys.size() > KEEP_KEYS) {
            keys.remove(keys.iterator().next());
        }
        HostFiles.writeJson(folder.resolve("accepted.json"), keys);
    }

    /** The notices waiting, oldest first; a file that does not parse is set aside, not retried forever. */
    List<Pending> pending() {
        var found = new ArrayList<Pending>();
        if (!Files.isDirectory(pendingFolder())) {
            return found;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(pendingFolder(), "*.json")) {
            for (Path file : files) {
                Optional<Pending> pending = HostFiles.read(file, Pending.class).orAbsent();
                if (pending.isPresent()) {
                    found.add(pending.get());
                } else {
                    Files.move(file, file.resolveSibling(file.getFileName() + ".unreadable"));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not list " + pendingFolder(), e);
        }
        found.sort(java.util.Comparator.comparingLong(Pending::seq));
        return found;
    }

    void save(Pending pending) {
        HostFiles.writeJson(pendingFolder().resolve(pending.fileName()), pending);
    }

    void remove(Pending pending) {
        try {
            Files.deleteIfExists(pendingFolder().resolve(pending.fileName()));
        } catch (IOException e) {
            throw new UncheckedIOException("could not remove a sent notice", e);
        }
    }

    Map<String, ReceiverState> states() {
        return readStates(folder);
    }

    void saveStates(Map<String, ReceiverState> states) {
        HostFiles.writeJson(folder.resolve("receivers.json"), states.values());
    }

    static Map<String, ReceiverState> readStates(Path folder) {
        var states = new LinkedHashMap<String, ReceiverState>();
        HostFiles.readJson(folder.resolve("receivers.json"), ReceiverState[].class)
                .ifPresent(all -> List.of(all).forEach(s -> states.put(s.name(), s)));
        return states;
    }
}
