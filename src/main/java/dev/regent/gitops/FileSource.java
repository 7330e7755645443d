package dev.regent.gitops;

import dev.regent.reconcile.Outcome;
import dev.regent.spec.LoadResult;
import dev.regent.spec.SpecError;
import dev.regent.spec.SpecLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/** The desired-state file on disk; an invalid file keeps the last good state. */
public final class FileSource implements DesiredSource {
    private final Path file;
    private final Consumer<List<SpecError>> rejected;
    private Optional<Revision> lastGood = Optional.empty();

    public FileSource(Path file, Consumer<List<SpecError>> rejected) {
        this.file = file;
        this.rejected = rejected;
    }

    @Override
    public Optional<Revision> current() {
        LoadResult loaded = SpecLoader.load(file);
        if (loaded instanceof LoadResult.Valid v) {
            lastGood = Optional.of(new Revision(v.state(), "file"));
        } else {
            rejected.accept(((LoadResult.Invalid) loaded).errors());
        }
        return lastGood;
    }

    @Override
    public void reconciled(Revision revision, Outcome outcome) {
        // The file is its own record: nothing to keep.
    }
}
