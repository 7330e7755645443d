package dev.regent.gitops;

import dev.regent.apply.Provenance;
import dev.regent.reconcile.Outcome;
import dev.regent.spec.LoadResult;
import dev.regent.spec.SpecError;
import dev.regent.spec.SpecLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The desired-state file on disk; an invalid file keeps the last good state. Following the file,
 * the host has no git sync: the status an earlier `run --git` left in {@code runFolder} is removed
 * before the first state is offered, so `regent status` and the dashboard show what this loop follows.
 */
public final class FileSource implements DesiredSource {
    private final Path file;
    private final Path runFolder;
    private final Consumer<List<SpecError>> rejected;
    private final Optional<String> host;
    private Optional<Revision> lastGood = Optional.empty();
    private boolean gitStatusRemoved;

    public FileSource(Path file, Path runFolder, Consumer<List<SpecError>> rejected) {
        this(file, runFolder, rejected, Optional.empty());
    }

    /** host: the fleet host this loop applies the file for; required by a fleet file, refused by a host file. */
    public FileSource(Path file, Path runFolder, Consumer<List<SpecError>> rejected, Optional<String> host) {
        this.file = file;
        this.runFolder = runFolder;
        this.rejected = rejected;
        this.host = host;
    }

    @Override
    public Optional<Revision> current() {
        if (!gitStatusRemoved) {
            try {
                Files.deleteIfExists(runFolder.resolve(SyncStatus.FILE));
            } catch (IOException e) {
                throw new UncheckedIOException("could not remove the git status of an earlier `run --git`", e);
            }
            gitStatusRemoved = true;
        }
        LoadResult loaded = SpecLoader.load(file, host);
        if (loaded instanceof LoadResult.Valid v) {
            lastGood = Optional.of(new Revision(v.state(), Provenance.ofFile(file, "file").revision()));
        } else {
            rejected.accept(((LoadResult.Invalid) loaded).errors());
        }
        return lastGood;
    }

    @Override
    public void reconciled(Revision revision, Outcome outcome) {
        // The file is its own record: nothing to keep.
    }

    /** What the loop follows, for its log. */
    @Override
    public String toString() {
        return file.toString();
    }
}
