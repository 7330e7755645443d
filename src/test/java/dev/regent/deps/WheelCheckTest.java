package dev.regent.deps;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WheelCheckTest {
    private static final String HOUSE = "deploy/deps/wheelhouse";
    @TempDir
    Path folder;
    private String djangoSha;

    @BeforeEach
    void wheels() {
        Wheels.write(folder, "Django", "4.2.28", "django");
        Wheels.write(folder, "sqlparse", "0.4.4", "sqlparse");
        djangoSha = Wheelhouse.read(folder).sha256(Wheelhouse.read(folder).of("django").get(0));
    }

    private String check(String requirements) {
        return WheelCheck.check(Requirements.parse(requirements), Wheelhouse.read(folder), HOUSE).orElse("");
    }

    @Test
    void passesWhenEveryPinHasItsWheelAndHash() {
        assertThat(check("django==4.2.28 --hash=sha256:" + djangoSha + "\nSQLParse==0.4.4\n")).isEmpty();
    }

    @Test
    void namesAPinWithoutAWheelAndTheVersionsThereAre() {
        assertThat(check("Django==4.2.99\nsqlparse==0.4.4\n")).startsWith(
                "missing wheel for Django==4.2.99 in deploy/deps/wheelhouse (it has Django 4.2.28)\n"
                        + "fill it with: pip wheel -r requirements.txt -w deploy/deps/wheelhouse");
        assertThat(check("asgiref==3.8.1\n")).startsWith(
                "missing wheel for asgiref==3.8.1 in deploy/deps/wheelhouse (it has no asgiref at all)");
    }

    @Test
    void namesAPinWhoseWheelHasAnotherHash() {
        assertThat(check("Django==4.2.28 --hash=sha256:" + "0".repeat(64) + "\n")).startsWith(
                "hash mismatch for Django==4.2.28: Django-4.2.28-py3-none-any.whl has sha256 " + djangoSha
                        + ", requirements.txt allows " + "0".repeat(64));
    }

    @Test
    void namesAPinWhoseWheelIsNotAZipArchive() throws IOException {
        Files.writeString(folder.resolve("sqlparse-0.4.5-py3-none-any.whl"), "garbage");

        assertThat(check("sqlparse==0.4.5\n")).startsWith("corrupt wheel for sqlparse==0.4.5: "
                + "deploy/deps/wheelhouse/sqlparse-0.4.5-py3-none-any.whl cannot be installed: it is not a valid zip archive");
    }

    @Test
    void refusesUnpinnedRequirementsByLine() {
        assertThat(check("Django>=4\n")).startsWith("requirements.txt line 1: \"Django>=4\" is not pinned");
    }
}
