package dev.regent.fs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HardLinksTreeTest {
    @TempDir
    Path root;

    @Test
    void sharesEveryFileCopiesLinksAsLinksAndCreatesFolders() throws IOException {
        Path venv = root.resolve("a/venv");
        Files.createDirectories(venv.resolve("lib/python3.11/site-packages/django"));
        Files.createDirectories(venv.resolve("bin"));
        Files.writeString(venv.resolve("lib/python3.11/site-packages/django/__init__.py"), "VERSION = (4, 2, 28)\n");
        Files.writeString(venv.resolve("pyvenv.cfg"), "home = /usr/bin\n");
        Files.createSymbolicLink(venv.resolve("bin/python3"), Path.of("python3.11"));
        Files.createSymbolicLink(venv.resolve("lib64"), Path.of("lib"));
        Files.createDirectories(venv.resolve("include"));
        Path copy = root.resolve("b/venv");
        Files.createDirectories(copy.getParent());

        long linked = HardLinks.linkTree(venv, copy);

        assertThat(linked).isEqualTo(2);
        assertThat(Files.isSameFile(copy.resolve("lib/python3.11/site-packages/django/__init__.py"),
                venv.resolve("lib/python3.11/site-packages/django/__init__.py"))).isTrue();
        assertThat(Files.getAttribute(copy.resolve("pyvenv.cfg"), "unix:nlink")).isEqualTo(2);
        assertThat(Files.readSymbolicLink(copy.resolve("bin/python3"))).isEqualTo(Path.of("python3.11"));
        assertThat(Files.readSymbolicLink(copy.resolve("lib64"))).isEqualTo(Path.of("lib"));
        assertThat(Files.isDirectory(copy.resolve("include"), LinkOption.NOFOLLOW_LINKS)).isTrue();
        assertThat(Files.isSymbolicLink(copy.resolve("lib"))).isFalse();
    }
}
