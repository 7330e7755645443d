package dev.regent.deps;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Small real wheels (zip archives with metadata) written into a test's wheelhouse. */
public final class Wheels {
    private Wheels() {
    }

    /** Writes {@code name-version-py3-none-any.whl}; {@code content} varies its bytes and so its hash. */
    public static Path write(Path folder, String name, String version, String content) {
        String distInfo = name + "-" + version + ".dist-info/";
        Path file = folder.resolve(name + "-" + version + "-py3-none-any.whl");
        try {
            Files.createDirectories(folder);
            try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
                zip.putNextEntry(new ZipEntry(distInfo + "METADATA"));
                zip.write(("Name: " + name + "\nVersion: " + version + "\n").getBytes(StandardCharsets.UTF_8));
                zip.putNextEntry(new ZipEntry(name.toLowerCase() + "/__init__.py"));
                zip.write(content.getBytes(StandardCharsets.UTF_8));
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
