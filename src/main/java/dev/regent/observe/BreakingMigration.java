package dev.regent.observe;

import dev.regent.fs.FileRead;
import dev.regent.fs.HostFiles;
import dev.regent.fs.HostLayout;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A migration applied only because the desired state opted in for it (it breaks code that does not
 * know it). Kept host-wide in {@code deploy/run/breaking-migrations.json} and never dropped: the
 * database keeps the change after the build that applied it is gone.
 */
public record BreakingMigration(String migration, String build, Instant at) {
    public static final String FILE = "breaking-migrations.json";

    public static Path file(HostLayout layout) {
        return layout.run().resolve(FILE);
    }

    /** The ledger. It is a safety file: unreadable must not read as "nothing breaking applied". */
    public static FileRead<List<BreakingMigration>> read(HostLayout layout) {
        FileRead<BreakingMigration[]> read = HostFiles.read(file(layout), BreakingMigration[].class);
        if (read instanceof FileRead.Unreadable<BreakingMigration[]> u) {
            return new FileRead.Unreadable<>(u.file(), u.error());
        }
        return new FileRead.Present<>(read.orAbsent().map(Arrays::asList).map(List::copyOf).orElseGet(List::of));
    }

    /** Adds entries to the ledger (one atomic write); an unreadable ledger is kept and reported, never overwritten. */
    public static void append(HostLayout layout, List<BreakingMigration> entries) {
        if (entries.isEmpty()) {
            return;
        }
        FileRead<List<BreakingMigration>> current = read(layout);
        if (current instanceof FileRead.Unreadable<List<BreakingMigration>> u) {
            throw new IllegalStateException("could not record breaking migrations " + entries + ": "
                    + u.describe(layout.root()));
        }
        var all = new ArrayList<>(current.orAbsent().orElseGet(List::of));
        all.addAll(entries);
        HostFiles.writeJson(file(layout), all);
    }
}
