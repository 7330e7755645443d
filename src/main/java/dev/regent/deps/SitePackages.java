package dev.regent.deps;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The packages installed in a venv, from the names of its {@code *.dist-info} folders. */
public final class SitePackages {
    private SitePackages() {
    }

    public static List<String> installed(Path venv) {
        try (Stream<Path> found = Files.find(venv.resolve("lib"), 3,
                (p, attrs) -> attrs.isDirectory() && p.getFileName().toString().endsWith(".dist-info")
                        && p.getParent().getFileName().toString().equals("site-packages"))) {
            return found.map(p -> p.getFileName().toString())
                    .map(n -> PackageNames.normalize(n.substring(0, n.indexOf('-') < 0 ? n.length() : n.indexOf('-'))))
                    .sorted().distinct().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("could not list the packages of " + venv, e);
        }
    }
}
