package dev.regent.deps;

import static org.assertj.core.api.Assertions.assertThat;

import dev.regent.fs.HostFiles;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VenvLockTest {
    private static final String PYTHON = "3.11.2 (main, May 12 2026, 05:17:27) [GCC 12.2.0]";
    private static final String TEXT = "Django==4.2.28\n";
    private static final List<String> INSTALLED = List.of("django", "asgiref", "pip", "setuptools");
    @TempDir
    Path house;
    private VenvLock lock;

    @BeforeEach
    void installed() {
        Wheels.write(house, "Django", "4.2.28", "django");
        Wheels.write(house, "asgiref", "3.8.1", "asgiref");
        Wheels.write(house, "sqlparse", "0.4.4", "sqlparse");
        lock = VenvLock.of(TEXT, PYTHON, INSTALLED, Requirements.parse(TEXT), Wheelhouse.read(house));
    }

    private boolean sameAsNow(String text, String python) {
        return lock.sameAs(text, python, Requirements.parse(text), Wheelhouse.read(house));
    }

    @Test
    void holdsTheWheelsOfTheInstalledPackagesOnly() {
        assertThat(lock.wheels()).containsOnlyKeys("Django-4.2.28-py3-none-any.whl", "asgiref-3.8.1-py3-none-any.whl");
        assertThat(lock.packages()).containsExactly("asgiref", "django");
        assertThat(sameAsNow(TEXT, PYTHON)).isTrue();
    }

    @Test
    void differsWithTheRequirementsOrThePython() {
        assertThat(sameAsNow(TEXT + "# a comment\n", PYTHON)).isFalse();
        assertThat(sameAsNow(TEXT, "3.11.4 (main) [GCC 12.2.0]")).isFalse();
    }

    @Test
    void differsWhenAnInstalledWheelChanges() {
        Wheels.write(house, "asgiref", "3.8.1", "asgiref rebuilt");
        assertThat(sameAsNow(TEXT, PYTHON)).isFalse();
    }

    @Test
    void differsWhenPipCouldPickAnotherVersionOfAnUnpinnedDependency() {
        Wheels.write(house, "asgiref", "3.9.0", "asgiref");
        assertThat(sameAsNow(TEXT, PYTHON)).isFalse();
    }

    @Test
    void ignoresOtherVersionsOfAPinnedPackageAndUnrelatedWheels() {
        Wheels.write(house, "Django", "5.0.1", "django 5");
        Wheels.write(house, "whitenoise", "6.8.2", "whitenoise");
        assertThat(sameAsNow(TEXT, PYTHON)).isTrue();
    }

    @Test
    void survivesItsJsonFile(@TempDir Path venv) {
        HostFiles.writeJson(venv.resolve(VenvLock.FILE), lock);
        assertThat(HostFiles.readJson(venv.resolve(VenvLock.FILE), VenvLock.class)).contains(lock);
    }
}
