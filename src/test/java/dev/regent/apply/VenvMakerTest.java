package dev.regent.apply;

import static org.assertj.core.api.Assertions.assertThat;

import dev.regent.deps.Requirements;
import dev.regent.deps.VenvLock;
import dev.regent.deps.VenvStore;
import dev.regent.deps.Wheelhouse;
import dev.regent.deps.Wheels;
import dev.regent.docker.ExecResult;
import dev.regent.docker.NoDocker;
import dev.regent.fs.HostFiles;
import dev.regent.fs.HostLayout;
import dev.regent.spec.DependencySpec;
import dev.regent.time.FakeClock;
import dev.regent.time.Sleeper;
import dev.regent.uwsgi.StatsReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The venv step on a real host folder; the web container's commands are answered by a fake that records them. */
class VenvMakerTest {
    /** Where a full install happens, as the web container sees it: inside the store, renamed to its entry after. */
    private static final String INSTALL = "/code/deploy/deps/venvs/.install-b";
    private static final String PYTHON = "3.11.2 (main, May 12 2026, 05:17:27) [GCC 12.2.0]";
    private static final String REQUIREMENTS = "Django==4.2.28\nasgiref==3.8.1\n";
    @TempDir
    Path root;
    private HostLayout layout;
    private VenvMaker maker;
    private final List<String> commands = new ArrayList<>();
    private final List<String> progress = new ArrayList<>();

    @BeforeEach
    void host() throws IOException {
        layout = new HostLayout(root);
        Wheels.write(layout.wheelhouse(), "Django", "4.2.28", "django");
        Wheels.write(layout.wheelhouse(), "asgiref", "3.8.1", "asgiref");
        FakeClock clock = new FakeClock(Instant.parse("2024-01-01T00:00:00Z"));
        Duration second = Duration.ofSeconds(1);
        maker = new VenvMaker(new HostContext("proj", layout, new NoDocker(), new StatsReader(second), clock,
                new Waiter(clock, Sleeper.real(), Duration.ofMillis(10)), new HostContext.Timeouts(second, second, second, second, second)),
                progress::add);
        completeBuildWithVenv("a", PYTHON);
    }

    /** A complete build whose venv was installed from REQUIREMENTS on this Python, kept in the venv store. */
    private void completeBuildWithVenv(String name, String python) throws IOException {
        Path venv = layout.build(name).resolve("venv");
        Files.createDirectories(venv.resolve("lib/python3.11/site-packages/django"));
        Files.createDirectories(venv.resolve("lib/python3.11/site-packages/Django-4.2.28.dist-info"));
        Files.createDirectories(venv.resolve("bin"));
        Files.writeString(venv.resolve("lib/python3.11/site-packages/django/__init__.py"), "# django\n");
        Files.createSymbolicLink(venv.resolve("bin/python"), Path.of("python3.11"));
        VenvLock lock = VenvLock.of(REQUIREMENTS, python, List.of("django", "asgiref"),
                Requirements.parse(REQUIREMENTS), Wheelhouse.read(layout.wheelhouse()));
        HostFiles.writeJson(venv.resolve(VenvLock.FILE), lock);
        VenvStore store = new VenvStore(layout.venvStore(), layout.builds());
        store.link(venv, store.add(venv, lock));
        Files.writeString(layout.build(name).resolve("regent-build.json"), "{}");
    }

    private Path assembly(String requirements) throws IOException {
        Path assembly = layout.assembly("b");
        Files.createDirectories(assembly.resolve("app"));
        Files.writeString(assembly.resolve("app/requirements.txt"), requirements);
        return assembly;
    }

    /** Answers the Python version question; every other command "fails" so it is seen in the result. */
    private Function<List<String>, ExecResult> web(String python) {
        return command -> {
            commands.add(String.join(" ", command));
            return command.get(0).equals("python3") && command.get(1).equals("-c")
                    ? new ExecResult(0, python + "\n", false) : new ExecResult(1, "not in this test", false);
        };
    }

    @Test
    void aBuildWithTheSameLockLinksToTheVenvOfTheBuildThatHasIt() throws IOException {
        Path assembly = assembly(REQUIREMENTS);

        Optional<String> failure = maker.make("b", assembly, web(PYTHON));

        assertThat(failure).isEmpty();
        assertThat(commands).noneMatch(c -> c.contains("pip") || c.contains("-m venv"));
        assertThat(Files.readSymbolicLink(assembly.resolve("venv")).toString()).startsWith("../../deps/venvs/");
        String django = "venv/lib/python3.11/site-packages/django/__init__.py";
        assertThat(Files.isSameFile(assembly.resolve(django), layout.build("a").resolve(django))).isTrue();
        assertThat(progress).anyMatch(line -> line.startsWith("build b: venv: same lock as build a, shares deploy/deps/venvs/"));
    }

    @Test
    void venvsNoBuildLinksToAreRemovedOnceTheVenvIsMade() throws IOException {
        Files.createDirectories(layout.venvStore().resolve("0123456789abcdef01234567/bin"));
        Path assembly = assembly(REQUIREMENTS);

        maker.make("b", assembly, web(PYTHON));

        assertThat(layout.venvStore().resolve("0123456789abcdef01234567")).doesNotExist();
        assertThat(assembly.resolve("venv/lib")).isDirectory();
        assertThat(layout.build("a").resolve("venv/lib")).isDirectory();
    }

    @Test
    void anotherPythonInstallsWithPipFromTheWheelhouseOnly() throws IOException {
        Files.createDirectories(layout.venvStore().resolve(".install-b/lib"));
        Optional<String> failure = maker.make("b", assembly(REQUIREMENTS), web("3.12.1 (main) [GCC 13]"));

        assertThat(commands).containsExactly("python3 -c import sys; print(sys.version.replace(chr(10), ' '))",
                "python3 -m venv " + INSTALL);
        assertThat(failure).hasValueSatisfying(f -> assertThat(f).startsWith("exit code 1"));
        assertThat(layout.venvStore().resolve(".install-b")).as("a crashed install's leftovers are cleared and a failed one leaves nothing").doesNotExist();
    }

    @Test
    void aFullInstallMovesIntoTheStoreWithItsLockAndTheBuildLinksToIt() throws IOException {
        Path assembly = assembly(REQUIREMENTS);
        String otherPython = "3.12.1 (main) [GCC 13]";
        Function<List<String>, ExecResult> installing = command -> {
            commands.add(String.join(" ", command));
            try {
                if (command.equals(List.of("python3", "-m", "venv", INSTALL))) {
                    Files.createDirectories(layout.venvStore().resolve(".install-b/lib/python3.12/site-packages/Django-4.2.28.dist-info"));
                    Files.createDirectories(layout.venvStore().resolve(".install-b/lib/python3.12/site-packages/asgiref-3.8.1.dist-info"));
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return new ExecResult(0, command.get(0).equals("python3") && command.get(1).equals("-c") ? otherPython : "", false);
        };

        assertThat(maker.make("b", assembly, installing)).isEmpty();

        assertThat(commands).contains(INSTALL + "/bin/pip install --disable-pip-version-check --no-index --find-links "
                + "/code/deploy/deps/wheelhouse -r app/requirements.txt");
        VenvLock lock = HostFiles.readJson(assembly.resolve("venv").resolve(VenvLock.FILE), VenvLock.class).orElseThrow();
        assertThat(lock.python()).isEqualTo(otherPython);
        assertThat(lock.wheels()).containsOnlyKeys("Django-4.2.28-py3-none-any.whl", "asgiref-3.8.1-py3-none-any.whl");
        assertThat(assembly.resolve("venv").toRealPath().getParent()).isEqualTo(layout.venvStore().toRealPath());
        assertThat(layout.build("a").resolve("venv/lib")).as("a's venv, still linked to, is kept").isDirectory();
        assertThat(progress).anyMatch(line -> line.startsWith("build b: venv: installed into deploy/deps/venvs/"));
        assertThat(layout.venvStore().resolve(".install-b")).as("installed in the store, then renamed to its entry").doesNotExist();
    }

    @Test
    void aMissingWheelFailsBeforeAnyCommandNamingIt() throws IOException {
        Optional<String> failure = maker.make("b", assembly("Django==4.2.99\n"), web(PYTHON));

        assertThat(commands).isEmpty();
        assertThat(failure).hasValueSatisfying(f -> assertThat(f)
                .startsWith("missing wheel for Django==4.2.99 in deploy/deps/wheelhouse (it has Django 4.2.28)"));
    }

    private VenvMaker withIndex(String url) {
        FakeClock clock = new FakeClock(Instant.parse("2024-01-01T00:00:00Z"));
        Duration second = Duration.ofSeconds(1);
        return new VenvMaker(new HostContext("proj", layout, new NoDocker(), new StatsReader(second), clock,
                new Waiter(clock, Sleeper.real(), Duration.ofMillis(10)), new HostContext.Timeouts(second, second, second, second, second)),
                progress::add, new DependencySpec(Optional.of(url)));
    }

    /** The web container with an index: pip wheel "downloads" whitenoise into its --wheel-dir, then pip install works. */
    private Function<List<String>, ExecResult> webWithIndex(Path assembly, String whitenoise) {
        return command -> {
            commands.add(String.join(" ", command));
            if (command.contains("wheel")) {
                Path into = root.resolve(command.get(command.indexOf("--wheel-dir") + 1).substring("/code/".length()));
                Wheels.write(into, "whitenoise", "6.8.2", whitenoise);
                Wheels.write(into, "Django", "4.2.28", "a copy pip saved from --find-links");
            }
            if (command.equals(List.of("python3", "-m", "venv", INSTALL))) {
                try {
                    Files.createDirectories(layout.venvStore().resolve(".install-b/lib/python3.11/site-packages/whitenoise-6.8.2.dist-info"));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
            return new ExecResult(0, command.get(0).equals("python3") && command.get(1).equals("-c") ? PYTHON : "", false);
        };
    }

    @Test
    void withAnIndexAMissingWheelIsFetchedIntoTheWheelhouseFirst() throws IOException {
        String djangoBefore = Files.readString(layout.wheelhouse().resolve("Django-4.2.28-py3-none-any.whl"), java.nio.charset.StandardCharsets.ISO_8859_1);
        Path assembly = assembly(REQUIREMENTS + "whitenoise==6.8.2\n");

        Optional<String> failure = withIndex("https://deploy:s3cret@pypi.example.org/simple/").make("b", assembly,
                webWithIndex(assembly, "whitenoise"));

        assertThat(failure).isEmpty();
        assertThat(commands).startsWith("python3 -m venv /code/deploy/deps/.fetch-b/pip",
                "/code/deploy/deps/.fetch-b/pip/bin/pip wheel --disable-pip-version-check --progress-bar off"
                        + " --index-url https://deploy:s3cret@pypi.example.org/simple/ --find-links /code/deploy/deps/wheelhouse"
                        + " --wheel-dir /code/deploy/deps/.fetch-b/wheels -r app/requirements.txt");
        assertThat(commands).contains(INSTALL + "/bin/pip install --disable-pip-version-check --no-index --find-links "
                + "/code/deploy/deps/wheelhouse -r app/requirements.txt");
        assertThat(layout.wheelhouse().resolve("whitenoise-6.8.2-py3-none-any.whl")).isRegularFile();
        assertThat(Files.readString(layout.wheelhouse().resolve("Django-4.2.28-py3-none-any.whl"), java.nio.charset.StandardCharsets.ISO_8859_1))
                .as("a wheel already there is never replaced").isEqualTo(djangoBefore);
        assertThat(layout.wheelhouse().getParent().resolve(".fetch-b")).doesNotExist();
        assertThat(progress).contains(
                "build b: venv: fetching whitenoise==6.8.2 from https://deploy:***@pypi.example.org/simple/ into deploy/deps/wheelhouse",
                "build b: venv: fetched whitenoise-6.8.2-py3-none-any.whl in 0.0 s");
        assertThat(String.join("\n", progress)).doesNotContain("s3cret");
    }

    @Test
    void withHashesPipWheelRequiresThem() throws IOException {
        String sha = Wheelhouse.read(layout.wheelhouse()).sha256(Wheelhouse.read(layout.wheelhouse()).of("Django").get(0));
        Path assembly = assembly("Django==4.2.28 --hash=sha256:" + sha + "\nwhitenoise==6.8.2 --hash=sha256:" + "0".repeat(64) + "\n");

        Optional<String> failure = withIndex("http://127.0.0.1:8765/simple").make("b", assembly, webWithIndex(assembly, "w"));

        assertThat(commands.get(1)).endsWith("--wheel-dir /code/deploy/deps/.fetch-b/wheels --require-hashes -r app/requirements.txt");
        assertThat(failure).hasValueSatisfying(f -> assertThat(f).startsWith("hash mismatch for whitenoise==6.8.2"));
    }

    @Test
    void anUnreachableIndexFailsNamingThePackageAndAddsNothing() throws IOException {
        Path assembly = assembly(REQUIREMENTS + "whitenoise==6.8.2\n");
        String pipOutput = """
                Looking in indexes: https://deploy:****@pypi.example.org/simple/
                WARNING: Retrying (Retry(total=0, connect=None, read=None, redirect=None, status=None)) after connection broken by \
                'NewConnectionError('<pip._vendor.urllib3.connection.HTTPSConnection object at 0x7f>: Failed to establish a new \
                connection: [Errno 111] Connection refused')': /simple/whitenoise/
                ERROR: Could not find a version that satisfies the requirement whitenoise==6.8.2 (from versions: none)
                ERROR: No matching distribution found for whitenoise==6.8.2
                """;
        Function<List<String>, ExecResult> web = command -> {
            commands.add(String.join(" ", command));
            return new ExecResult(command.contains("wheel") ? 1 : 0, command.contains("wheel")
                    ? pipOutput + "https://deploy:s3cret@pypi.example.org/simple/whitenoise/\n" : "", false);
        };

        Optional<String> failure = withIndex("https://deploy:s3cret@pypi.example.org/simple/").make("b", assembly, web);

        assertThat(failure).hasValueSatisfying(f -> {
            assertThat(f).startsWith("could not fetch whitenoise==6.8.2 from https://deploy:***@pypi.example.org/simple/ into"
                    + " deploy/deps/wheelhouse: the index did not answer (Connection refused)\nexit code 1\n");
            assertThat(f).doesNotContain("s3cret");
        });
        assertThat(commands).noneMatch(c -> c.contains("pip install"));
        assertThat(Wheelhouse.read(layout.wheelhouse()).of("whitenoise")).isEmpty();
        assertThat(layout.wheelhouse().getParent().resolve(".fetch-b")).doesNotExist();
    }

    @Test
    void withoutAnIndexAMissingWheelFailsWithAHintAtTheIndex() throws IOException {
        Optional<String> failure = maker.make("b", assembly("whitenoise==6.8.2\n"), web(PYTHON));

        assertThat(commands).isEmpty();
        assertThat(failure).hasValueSatisfying(f -> assertThat(f)
                .startsWith("missing wheel for whitenoise==6.8.2 in deploy/deps/wheelhouse (it has no whitenoise at all)")
                .endsWith("\nor set spec.dependencies.index to a package index: missing wheels are then fetched into"
                        + " deploy/deps/wheelhouse before the build installs"));
    }

    @Test
    void withAnIndexACompleteWheelhouseAsksNoIndex() throws IOException {
        Path assembly = assembly(REQUIREMENTS);

        assertThat(withIndex("http://127.0.0.1:1/simple/").make("b", assembly, web(PYTHON))).isEmpty();

        assertThat(commands).noneMatch(c -> c.contains("wheel") || c.contains("-m venv"));
    }

    @Test
    void aDeclaredVenvStepIsSupersededOtherStepsAreNot() {
        assertThat(VenvMaker.supersedes(List.of("python3", "-m", "venv", "--system-site-packages", "--without-pip", "venv"))).isTrue();
        assertThat(VenvMaker.supersedes(List.of("venv/bin/python", "app/manage.py", "collectstatic", "--noinput"))).isFalse();
        assertThat(VenvMaker.supersedes(List.of("python3", "-m", "pip", "list"))).isFalse();
    }

    @Test
    void aProjectWithoutRequirementsGetsTheSystemPackagesVenv() throws IOException {
        Path assembly = layout.assembly("b");
        Files.createDirectories(assembly.resolve("app"));

        maker.make("b", assembly, web(PYTHON));

        assertThat(commands).containsExactly("python3 -m venv --system-site-packages --without-pip venv");
    }
}
