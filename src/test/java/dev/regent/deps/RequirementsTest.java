package dev.regent.deps;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RequirementsTest {

    @Test
    void readsPinsWithHashesOnContinuationLinesAndSkipsComments() {
        Requirements parsed = Requirements.parse("""
                # the project's pins
                Django==4.2.28 \\
                    --hash=sha256:A015D889eecd118dc8d729047f531f21fa8b8f11642fd7c43a7f477fc29063ac \\
                    --hash=sha256:1111111111111111111111111111111111111111111111111111111111111111
                asgiref == 3.8.1  # needed by Django
                psycopg2[binary]==2.9.10; python_version >= "3.8"
                --require-hashes

                """);

        assertThat(parsed.problems()).isEmpty();
        assertThat(parsed.pinned()).containsExactly(
                new Requirement("Django", "4.2.28", List.of("a015d889eecd118dc8d729047f531f21fa8b8f11642fd7c43a7f477fc29063ac",
                        "1111111111111111111111111111111111111111111111111111111111111111"), false, 2),
                new Requirement("asgiref", "3.8.1", List.of(), false, 5),
                new Requirement("psycopg2", "2.9.10", List.of(), true, 6));
    }

    @Test
    void flagsUnpinnedLinesAndIncludesByLine() {
        Requirements parsed = Requirements.parse("Django>=4.2\nsqlparse\n-r other.txt\nasgiref==3.8.1\n");

        assertThat(parsed.pinned()).extracting(Requirement::pin).containsExactly("asgiref==3.8.1");
        assertThat(parsed.problems()).containsExactly(
                "line 1: \"Django>=4.2\" is not pinned: write name==version (pip freeze prints the versions installed)",
                "line 2: \"sqlparse\" is not pinned: write name==version (pip freeze prints the versions installed)",
                "line 3: \"-r other.txt\" is not supported: list every package pinned in this file;"
                        + " builds install only from deploy/deps/wheelhouse");
    }

    @Test
    void namesAndVersionsCompareAsPipDoes() {
        assertThat(PackageNames.normalize("Typing_Extensions")).isEqualTo("typing-extensions");
        assertThat(PackageNames.normalize("dj.database__url")).isEqualTo("dj-database-url");
        assertThat(PackageNames.sameVersion("4.2", "4.2.0")).isTrue();
        assertThat(PackageNames.sameVersion("4.2.28", "4.2.2")).isFalse();
        assertThat(PackageNames.sameVersion("1.0rc1", "1.0.0rc1")).isTrue();
    }

    @Test
    void wheelFileNamesGiveProjectAndVersion() {
        assertThat(WheelFile.parse("psycopg2-2.9.10-cp311-cp311-linux_x86_64.whl"))
                .contains(new WheelFile("psycopg2-2.9.10-cp311-cp311-linux_x86_64.whl", "psycopg2", "2.9.10"));
        assertThat(WheelFile.parse("dj_database_url-2.1.0-1-py3-none-any.whl").orElseThrow().normalizedName())
                .isEqualTo("dj-database-url");
        assertThat(WheelFile.parse("Django-4.2.28.tar.gz")).isEmpty();
        assertThat(WheelFile.parse("README.md")).isEmpty();
    }
}
