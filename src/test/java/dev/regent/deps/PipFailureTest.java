package dev.regent.deps;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** pip 23.0.1's output (the web image's), captured from real failures. */
class PipFailureTest {

    @Test
    void namesTheMissingDistribution() {
        String output = """
                Looking in links: /code/deploy/deps/wheelhouse
                ERROR: Could not find a version that satisfies the requirement Django==4.2.99 (from versions: 4.2.28)
                ERROR: No matching distribution found for Django==4.2.99
                """;
        assertThat(PipFailure.explain(output, "exit code 1\n...")).startsWith("missing wheel for Django==4.2.99 in the wheelhouse\nexit code 1");
    }

    @Test
    void namesTheInvalidWheel() {
        String output = """
                Processing /code/deploy/deps/wheelhouse/sqlparse-0.4.5-py3-none-any.whl
                ERROR: Wheel 'sqlparse' located at /code/deploy/deps/wheelhouse/sqlparse-0.4.5-py3-none-any.whl is invalid.
                """;
        assertThat(PipFailure.headline(output)).contains("corrupt wheel for sqlparse: sqlparse-0.4.5-py3-none-any.whl is invalid");
    }

    @Test
    void namesTheWheelOfABadZipFile() {
        String output = """
                Processing /wh/asgiref-3.8.1-py3-none-any.whl
                Processing /wh/sqlparse-0.4.5-py3-none-any.whl
                Traceback (most recent call last):
                zipfile.BadZipFile: File is not a zip file
                """;
        assertThat(PipFailure.headline(output)).contains("corrupt wheel for sqlparse (BadZipFile)");
    }

    @Test
    void namesThePackageWhoseHashDiffers() {
        String output = """
                Processing /wh/asgiref-3.8.1-py3-none-any.whl
                ERROR: THESE PACKAGES DO NOT MATCH THE HASHES FROM THE REQUIREMENTS FILE. If you have updated the package versions, please update the hashes.
                    asgiref==3.8.1 from file:///wh/asgiref-3.8.1-py3-none-any.whl (from -r r.txt (line 1)):
                        Expected sha256 0000000000000000000000000000000000000000000000000000000000000000
                             Got        c63279aba864785db9221f0a0bdbc3db724bd2c33c58006653b20f96d7a169c8
                """;
        assertThat(PipFailure.headline(output)).contains(
                "hash mismatch for asgiref==3.8.1: the wheelhouse's file differs from requirements.txt's --hash");
    }

    @Test
    void leavesOtherOutputAsItIs() {
        assertThat(PipFailure.explain("Killed\n", "exit code 137\nKilled")).isEqualTo("exit code 137\nKilled");
    }
}
