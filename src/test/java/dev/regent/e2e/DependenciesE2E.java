package dev.regent.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Builds with their own dependencies, on one real stack: a copy of the sample app at examples/deps
 * whose requirements.txt pins Django 4.2.28 (with hashes) from the stack's wheelhouse, while the
 * web image's system Django is 3.2. Live is build a (the sample app, system Django) throughout.
 */
class DependenciesE2E {
    static Stack stack;
    /** Commits of examples/deps: good pins, a pin the wheelhouse lacks, a pin of a corrupt wheel. */
    static String good;
    static String missing;
    static String corrupt;

    @BeforeAll
    static void start() throws IOException {
        stack = Stack.create(Stack.desiredState("PROJECT", "    a: {ref: HEAD}\n", "a", "null"));
        Stack.copy(stack.root.resolve("examples/app"), stack.root.resolve("examples/deps"));
        stack.write("examples/deps/pages/views.py", stack.read("examples/deps/pages/views.py") + """


                def version(request):
                    import django
                    return HttpResponse('Django ' + django.get_version(), content_type='text/plain')
                """);
        stack.write("examples/deps/mysite/urls.py", stack.read("examples/deps/mysite/urls.py")
                .replace("]", "    path('version', views.version, name='version'),\n]"));
        Map<String, String> sums = stack.read("deploy/deps/wheelhouse/SHA256SUMS").lines()
                .map(l -> l.split("\\s+")).collect(Collectors.toMap(f -> f[1], f -> f[0]));
        stack.write("examples/deps/requirements.txt", "# pinned, with the wheelhouse's hashes\n"
                + pin("Django==4.2.28", sums.get("Django-4.2.28-py3-none-any.whl"))
                + pin("asgiref==3.8.1", sums.get("asgiref-3.8.1-py3-none-any.whl"))
                + pin("sqlparse==0.4.4", sums.get("sqlparse-0.4.4-py3-none-any.whl")));
        good = stack.commitAll("examples/deps: the sample app on Django 4.2.28 from the wheelhouse");
        stack.write("examples/deps/requirements.txt", "Django==4.2.99\nasgiref==3.8.1\nsqlparse==0.4.4\n");
        missing = stack.commitAll("examples/deps: a Django the wheelhouse lacks");
        stack.write("deploy/deps/wheelhouse/sqlparse-0.4.5-py3-none-any.whl", "not a zip archive\n".repeat(100));
        stack.write("examples/deps/requirements.txt", "Django==4.2.28\nasgiref==3.8.1\nsqlparse==0.4.5\n");
        corrupt = stack.commitAll("examples/deps: a sqlparse whose wheel is corrupt");
        stack.up();
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    private static String pin(String requirement, String sha256) {
        return requirement + " \\\n    --hash=sha256:" + sha256 + "\n";
    }

    private static String deps(String name, String commit) {
        return "    " + name + ": {ref: " + commit + ", path: examples/deps}\n";
    }

    private static String desired(String builds, String stage) {
        return Stack.desiredState(stack.project, "    a: {ref: HEAD}\n" + builds, "a", stage);
    }

    @Test
    void aBuildWithRequirementsServesItsOwnDjangoBesideTheSystemOne() {
        stack.converge(desired(deps("d", good), "d"));

        assertThat(stack.get(stack.stagePort, "/version").body()).isEqualTo("Django 4.2.28");
        assertThat(stack.exec("web", "python3", "-c", "import django; print(django.get_version())").output()).startsWith("3.2");
        assertThat(stack.read("deploy/builds/d/venv/pyvenv.cfg")).contains("include-system-site-packages = false");
        assertThat(stack.read("deploy/builds/d/venv/regent-lock.json")).contains("Django-4.2.28-py3-none-any.whl");
        assertThat(stack.servedBy(stack.livePort)).isEqualTo("a");
    }

    @Test
    void aSecondBuildOfTheSameLockSharesTheFirstBuildsVenv() throws IOException {
        stack.converge(desired(deps("d", good), "d"));

        var apply = stack.converge(desired(deps("d", good) + deps("e", good), "e"));

        assertThat(apply.output()).contains("build e: venv: same lock as build d, shares deploy/deps/venvs/");
        assertThat(stack.get(stack.stagePort, "/version").body()).isEqualTo("Django 4.2.28");
        Path first = stack.root.resolve("deploy/builds/d/venv");
        Path second = stack.root.resolve("deploy/builds/e/venv");
        assertThat(second).isSymbolicLink();
        assertThat(second.toRealPath()).isEqualTo(first.toRealPath());
        String django = "lib/python3.11/site-packages/django/__init__.py";
        assertThat(Files.isSameFile(second.resolve(django), first.resolve(django))).as("one inode for both builds").isTrue();
        assertThat(regularFiles(second.toRealPath())).hasSizeGreaterThan(1000);
    }

    @Test
    void aPinTheWheelhouseLacksFailsTheBuildNamingItAndChangesNothing() {
        assertFailsNamingAndChangesNothing(missing,
                "build f failed at step \"venv\": missing wheel for Django==4.2.99 in deploy/deps/wheelhouse (it has Django 4.2.28)");
    }

    @Test
    void aCorruptWheelFailsTheBuildNamingItAndChangesNothing() {
        assertFailsNamingAndChangesNothing(corrupt, "build f failed at step \"venv\": corrupt wheel for sqlparse==0.4.5:"
                + " deploy/deps/wheelhouse/sqlparse-0.4.5-py3-none-any.whl cannot be installed: it is not a valid zip archive");
    }

    private void assertFailsNamingAndChangesNothing(String commit, String reason) {
        stack.converge(desired(deps("d", good), "d"));
        String before = stack.fingerprint();
        stack.writeDesired(desired(deps("d", good) + deps("f", commit), "d"));

        var apply = stack.regent("apply");

        assertThat(apply.exit()).as(apply.output()).isEqualTo(1);
        assertThat(apply.output()).contains(reason);
        assertThat(stack.fingerprint()).isEqualTo(before);
        assertThat(stack.root.resolve("deploy/builds/f")).doesNotExist();
        assertThat(stack.root.resolve("deploy/builds/.f.tmp")).doesNotExist();
        assertThat(stack.servedBy(stack.livePort)).isEqualTo("a");
        assertThat(stack.get(stack.stagePort, "/version").body()).isEqualTo("Django 4.2.28");
        stack.writeDesired(desired(deps("d", good), "d"));
    }

    private static List<Path> regularFiles(Path folder) throws IOException {
        try (Stream<Path> paths = Files.walk(folder)) {
            return paths.filter(p -> Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)).toList();
        }
    }
}
