package dev.regent.deps;

import dev.regent.fs.HostFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Requirements venvs kept once per lock under {@code store/<lock id>/}, each complete (moved in
 * whole after its install and lock file) and never written again. A build's {@code venv} is a
 * relative link to one, so builds of the same lock share every file and folder. An entry no build
 * folder (complete or being assembled) links to is removed by {@link #collect()}.
 */
public final class VenvStore {
    private final Path store;
    private final Path builds;

    public VenvStore(Path store, Path builds) {
        this.store = store;
        this.builds = builds;
    }

    /** The entry whose lock satisfies {@code same}, if any. */
    public Optional<String> find(Predicate<VenvLock> same) {
        return entries().stream()
                .filter(id -> HostFiles.readJson(store.resolve(id).resolve(VenvLock.FILE), VenvLock.class).filter(same).isPresent())
                .findFirst();
    }

    /** Moves a freshly installed venv into the store (if its lock has no entry yet) and returns its entry. */
    public String add(Path venv, VenvLock lock) throws IOException {
        String id = lock.id();
        Path entry = store.resolve(id);
        if (Files.isDirectory(entry)) {
            HostFiles.removeTree(venv, venv.getParent());
        } else {
            Files.createDirectories(store);
            Files.move(venv, entry, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
        return id;
    }

    /** Makes {@code venv} a link to the entry, relative so it resolves alike on the host and in the containers. */
    public void link(Path venv, String id) throws IOException {
        Files.createSymbolicLink(venv, venv.getParent().relativize(store.resolve(id)));
    }

    /** The build folders (not links, not being assembled) whose venv is this entry. */
    public List<String> usedBy(String id) {
        return buildFolders().filter(f -> !f.getFileName().toString().startsWith("."))
                .filter(f -> entryOf(f).filter(id::equals).isPresent())
                .map(f -> f.getFileName().toString()).sorted().toList();
    }

    /** Removes the entries no build folder links to; returns them. */
    public List<String> collect() {
        List<String> used = buildFolders().flatMap(f -> entryOf(f).stream()).distinct().toList();
        List<String> unused = entries().stream().filter(id -> !used.contains(id)).toList();
        unused.forEach(id -> HostFiles.removeTree(store.resolve(id), store));
        return unused;
    }

    private Optional<String> entryOf(Path buildFolder) {
        Path venv = buildFolder.resolve("venv");
        if (!Files.isSymbolicLink(venv)) {
            return Optional.empty();
        }
        try {
            Path target = buildFolder.resolve(Files.readSymbolicLink(venv)).normalize();
            return target.getParent() != null && target.getParent().equals(store.normalize())
                    ? Optional.of(target.getFileName().toString()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private Stream<Path> buildFolders() {
        if (!Files.isDirectory(builds)) {
            return Stream.empty();
        }
        try (Stream<Path> all = Files.list(builds)) {
            return all.filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)).toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException("could not list " + builds, e);
        }
    }

    private List<String> entries() {
        if (!Files.isDirectory(store)) {
            return List.of();
        }
        try (Stream<Path> all = Files.list(store)) {
            return all.filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)).map(p -> p.getFileName().toString())
                    .filter(n -> !n.startsWith(".")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("could not list " + store, e);
        }
    }
}
