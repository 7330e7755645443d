package dev.regent.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * spec.dependencies.index against a real PEP 503 index: python3 -m http.server in the stack's web
 * container, bound to its loopback, serving a folder that holds whitenoise's wheel, which the
 * stack's wheelhouse lacks. examples/idx is the sample app pinning whitenoise too (with its hash).
 * Live is build a (the sample app) throughout.
 */
class PackageIndexE2E {
    private static final String WHEEL = "whitenoise-6.8.2-py3-none-any.whl";
    private static final String INDEX = "http://127.0.0.1:8765/simple/";
    static Stack stack;
    static String idx;
    static String sha256;

    @BeforeAll
    static void start() throws IOException {
        stack = Stack.create(Stack.desiredState("PROJECT", "    a: {ref: HEAD}\n", "a", "null"));
        Map<String, String> sums = stack.read("deploy/deps/wheelhouse/SHA256SUMS").lines()
                .map(l -> l.split("\\s+")).collect(Collectors.toMap(f -> f[1], f -> f[0]));
        sha256 = sums.get(WHEEL);
        Stack.copy(stack.root.resolve("examples/app"), stack.root.resolve("examples/idx"));
        stack.write("examples/idx/requirements.txt", stack.read("examples/idx/requirements.txt")
                + "whitenoise==6.8.2 \\\n    --hash=sha256:" + sha256 + "\n");
        idx = stack.commitAll("examples/idx: the sample app, also pinning whitenoise");
        Path project = stack.root.resolve("deploy/test-index/simple/whitenoise");
        Files.createDirectories(project);
        Files.move(stack.root.resolve("deploy/deps/wheelhouse/" + WHEEL), project.resolve(WHEEL));
        stack.write("deploy/test-index/simple/index.html",
                "<!DOCTYPE html><html><body><a href=\"whitenoise/\">whitenoise</a></body></html>\n");
        stack.write("deploy/test-index/simple/whitenoise/index.html", "<!DOCTYPE html><html><body><a href=\""
                + WHEEL + "#sha256=" + sha256 + "\">" + WHEEL + "</a></body></html>\n");
        stack.up();
        startIndex();
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    /** Each test starts with a wheelhouse that lacks whitenoise, as the stack's first one did. */
    @BeforeEach
    void withoutTheWheel() throws IOException {
        Files.deleteIfExists(stack.root.resolve("deploy/deps/wheelhouse/" + WHEEL));
    }

    private static void startIndex() {
        stack.compose("exec", "-d", "-T", "web", "sh", "-c", "echo $$ > /code/deploy/test-index.pid;"
                + " exec python3 -m http.server 8765 --bind 127.0.0.1 --directory /code/deploy/test-index");
        await().atMost(Duration.ofSeconds(30)).until(() -> indexAnswers());
    }

    private static void stopIndex() {
        stack.exec("web", "sh", "-c", "kill $(cat /code/deploy/test-index.pid)");
        await().atMost(Duration.ofSeconds(30)).until(() -> !indexAnswers());
    }

    private static boolean indexAnswers() {
        return stack.exec("web", "curl", "-fsS", "-o", "/dev/null", INDEX + "whitenoise/").exit() == 0;
    }

    private static String desired(String builds, String stage) {
        return Stack.desiredState(stack.project, "    a: {ref: HEAD}\n" + builds, "a", stage)
                + "  dependencies:\n    index: " + INDEX + "\n";
    }

    private static String build(String name) {
        return "    " + name + ": {ref: " + idx + ", path: examples/idx}\n";
    }

    @Test
    void aBuildPinningAWheelTheWheelhouseLacksFetchesItFromTheIndexAndIsStaged() throws IOException {
        var apply = stack.converge(desired(build("d"), "d"));

        assertThat(apply.output()).contains("build d: venv: fetching whitenoise==6.8.2 from " + INDEX + " into deploy/deps/wheelhouse")
                .contains("build d: venv: fetched " + WHEEL);
        Path fetched = stack.root.resolve("deploy/deps/wheelhouse/" + WHEEL);
        assertThat(fetched).isRegularFile();
        assertThat(stack.exec("web", "sha256sum", "/code/deploy/deps/wheelhouse/" + WHEEL).output()).startsWith(sha256);
        assertThat(stack.root.resolve("deploy/deps/.fetch-d")).doesNotExist();
        assertThat(stack.root.resolve("deploy/builds/d/venv/lib/python3.11/site-packages/whitenoise")).isDirectory();
        assertThat(stack.servedBy(stack.stagePort)).isEqualTo("d");
        assertThat(stack.servedBy(stack.livePort)).isEqualTo("a");
    }

    @Test
    void withTheIndexStoppedTheBuildFailsNamingThePackageAndLiveKeepsServing() {
        stack.converge(desired("", "null"));
        String before = stack.fingerprint();
        stopIndex();
        try {
            stack.writeDesired(desired(build("f"), "f"));

            var apply = stack.regent("apply");

            assertThat(apply.exit()).as(apply.output()).isEqualTo(1);
            assertThat(apply.output()).contains("build f failed at step \"venv\": could not fetch whitenoise==6.8.2 from "
                    + INDEX + " into deploy/deps/wheelhouse: the index did not answer (Connection refused)");
            assertThat(stack.fingerprint()).isEqualTo(before);
            assertThat(stack.root.resolve("deploy/builds/f")).doesNotExist();
            assertThat(stack.root.resolve("deploy/deps/wheelhouse/" + WHEEL)).doesNotExist();
            assertThat(stack.root.resolve("deploy/deps/.fetch-f")).doesNotExist();
            assertThat(stack.servedBy(stack.livePort)).isEqualTo("a");
        } finally {
            stack.writeDesired(desired("", "null"));
            startIndex();
        }
    }
}
