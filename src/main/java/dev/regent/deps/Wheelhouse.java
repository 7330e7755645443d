package dev.regent.deps;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

/** The wheels in one folder, read once; file hashes are computed when first asked for. */
public final class Wheelhouse {
    private final Path folder;
    private final List<WheelFile> wheels;
    private final Map<String, String> hashes = new ConcurrentHashMap<>();

    private Wheelhouse(Path folder, List<WheelFile> wheels) {
        this.folder = folder;
        this.wheels = wheels;
    }

    /** The folder's wheels; a missing folder is an empty wheelhouse. */
    public static Wheelhouse read(Path folder) {
        if (!Files.isDirectory(folder)) {
            return new Wheelhouse(folder, List.of());
        }
        try (Stream<Path> files = Files.list(folder)) {
            return new Wheelhouse(folder, files.filter(Files::isRegularFile)
                    .flatMap(f -> WheelFile.parse(f.getFileName().toString()).stream())
                    .sorted(java.util.Comparator.comparing(WheelFile::fileName)).toList());
        } catch (IOException e) {
            throw new UncheckedIOException("could not list the wheelhouse " + folder, e);
        }
    }

    public List<WheelFile> wheels() {
        return wheels;
    }

    public List<WheelFile> of(String project) {
        String name = PackageNames.normalize(project);
        return wheels.stream().filter(w -> w.normalizedName().equals(name)).toList();
    }

    public String sha256(WheelFile wheel) {
        return hashes.computeIfAbsent(wheel.fileName(), name -> digest(folder.resolve(name)));
    }

    /** Why this wheel cannot be installed (not a zip archive, no metadata), if it cannot; reads only its directory. */
    public Optional<String> unreadable(WheelFile wheel) {
        try (ZipFile zip = new ZipFile(folder.resolve(wheel.fileName()).toFile())) {
            boolean metadata = zip.stream().anyMatch(e -> e.getName().endsWith(".dist-info/METADATA"));
            return metadata ? Optional.empty() : Optional.of("it holds no .dist-info/METADATA");
        } catch (IOException e) {
            return Optional.of("it is not a valid zip archive (" + e.getMessage() + ")");
        }
    }

    private static String digest(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[256 * 1024];
            for (int n; (n = in.read(buffer)) > 0; ) {
                sha.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + file, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
