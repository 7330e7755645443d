package dev.regent.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.regent.observe.BuildRecord;
import dev.regent.observe.NginxApplied;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostFilesTest {
    private static final int FLIPS = 2000;

    @TempDir
    Path tmp;
    Path builds;

    @BeforeEach
    void setUp() throws IOException {
        builds = Files.createDirectories(tmp.resolve("deploy/builds"));
        Files.createDirectories(builds.resolve("a"));
        Files.createDirectories(builds.resolve("b"));
    }

    // ---- links --------------------------------------------------------------------------

    @Test
    void pointLinkCreatesARelativeSymlink() throws IOException {
        Path live = builds.resolve("_live");

        assertThat(HostFiles.pointLink(live, "a")).isTrue();

        assertThat(Files.isSymbolicLink(live)).isTrue();
        Path target = Files.readSymbolicLink(live);
        assertThat(target).isEqualTo(Path.of("a"));
        assertThat(target.isAbsolute()).isFalse();
        assertThat(live.toRealPath()).isEqualTo(builds.resolve("a").toRealPath());
        assertThat(HostFiles.readLink(live)).contains("a");
    }

    @Test
    void pointLinkReturnsFalseWhenUnchangedAndTrueWhenMoved() throws IOException {
        Path live = builds.resolve("_live");
        HostFiles.pointLink(live, "a");

        assertThat(HostFiles.pointLink(live, "a")).isFalse();
        assertThat(HostFiles.pointLink(live, "b")).isTrue();
        assertThat(Files.readSymbolicLink(live)).isEqualTo(Path.of("b"));
        assertThat(HostFiles.pointLink(live, "b")).isFalse();
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void pointLinkReplacesAtomicallyWhileAnotherThreadReads() throws Exception {
        Path live = builds.resolve("_live");
        HostFiles.pointLink(live, "a");
        AtomicBoolean done = new AtomicBoolean();
        AtomicInteger reads = new AtomicInteger();
        ConcurrentLinkedQueue<Throwable> problems = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<String> seen = new ConcurrentLinkedQueue<>();

        CompletableFuture<Void> reader = CompletableFuture.runAsync(() -> {
            // Keeps reading until the flips end (bounded: the writer stops after FLIPS renames).
            while (!done.get()) {
                try {
                    String target = Files.readSymbolicLink(live).toString();
                    if (reads.incrementAndGet() % 97 == 0) {
                        seen.add(target);
                    }
                } catch (NoSuchFileException e) {
                    problems.add(e);
                } catch (IOException e) {
                    problems.add(e);
                }
            }
        });
        try {
            for (int i = 0; i < FLIPS; i++) {
                assertThat(HostFiles.pointLink(live, i % 2 == 0 ? "b" : "a")).isTrue();
            }
        } finally {
            done.set(true);
        }
        reader.get(60, TimeUnit.SECONDS);

        assertThat(problems).as("a reader saw the link missing").isEmpty();
        assertThat(reads.get()).as("the reader really raced the writer").isGreaterThan(0);
        assertThat(seen).allMatch(t -> t.equals("a") || t.equals("b"));
        assertThat(Files.readSymbolicLink(live)).isEqualTo(Path.of("a"));
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void removeLinkRemovesOnlyTheLink() throws IOException {
        Path live = builds.resolve("_live");
        Files.writeString(builds.resolve("a/file"), "x");
        HostFiles.pointLink(live, "a");

        assertThat(HostFiles.removeLink(live)).isTrue();
        assertThat(HostFiles.removeLink(live)).isFalse();

        assertThat(Files.exists(live, java.nio.file.LinkOption.NOFOLLOW_LINKS)).isFalse();
        assertThat(builds.resolve("a/file")).hasContent("x");
        assertThat(HostFiles.readLink(live)).isEmpty();
    }

    @Test
    void removeLinkLeavesARealFolderAlone() {
        assertThat(HostFiles.removeLink(builds.resolve("a"))).isFalse();
        assertThat(builds.resolve("a")).isDirectory();
    }

    // ---- removeTree ---------------------------------------------------------------------

    @Test
    void removeTreeDoesNotFollowSymlinksPlantedInside() throws IOException {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Path secret = Files.writeString(outside.resolve("secret.txt"), "keep me");
        Path c = Files.createDirectories(builds.resolve("c/app/static"));
        Files.writeString(c.resolve("style.css"), "body{}");
        Files.createSymbolicLink(builds.resolve("c/app/escape"), outside);
        Files.createSymbolicLink(builds.resolve("c/secret-link"), secret);
        Files.createSymbolicLink(builds.resolve("c/app/static/up"), Path.of("../../../../../outside"));

        HostFiles.removeTree(builds.resolve("c"), builds);

        assertThat(builds.resolve("c")).doesNotExist();
        assertThat(secret).hasContent("keep me");
        assertThat(outside).isDirectory();
        assertThat(builds.resolve("a")).isDirectory();
    }

    @Test
    void removeTreeOfASymlinkRemovesOnlyTheLink() throws IOException {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(outside.resolve("keep"), "x");
        Path link = Files.createSymbolicLink(builds.resolve("c"), outside);

        HostFiles.removeTree(link, builds);

        assertThat(Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)).isFalse();
        assertThat(outside.resolve("keep")).hasContent("x");
    }

    @Test
    void removeTreeRefusesFoldersOutsideTheConfinementRoot() throws IOException {
        Path other = Files.createDirectories(tmp.resolve("other"));
        Files.writeString(other.resolve("f"), "x");

        assertThatThrownBy(() -> HostFiles.removeTree(other, builds))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("refusing");
        assertThatThrownBy(() -> HostFiles.removeTree(builds.resolve("../../other"), builds))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HostFiles.removeTree(builds, builds))
                .as("the root itself").isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HostFiles.removeTree(tmp.resolve("deploy/builds-x"), builds))
                .as("a sibling sharing the prefix").isInstanceOf(IllegalArgumentException.class);
        assertThat(other.resolve("f")).hasContent("x");
        assertThat(builds.resolve("a")).isDirectory();
    }

    @Test
    void removeTreeOfAMissingFolderIsANoOp() {
        HostFiles.removeTree(builds.resolve("zz"), builds);
        assertThat(builds.resolve("a")).isDirectory();
    }

    /**
     * BUG (HostFiles.removeTree): confinement compares normalized paths, not real ones, so a symlink
     * in a parent component (e.g. deploy/assets/static -> /elsewhere, which build steps running in
     * the web container can plant) makes removeTree(deploy/assets/static/c, deploy) delete files
     * outside the project.
     */
    @Test
    void removeTreeMustNotEscapeThroughASymlinkedParentFolder() throws IOException {
        Path outside = Files.createDirectories(tmp.resolve("outside/c"));
        Path victim = Files.writeString(outside.resolve("precious.txt"), "keep me");
        Path deploy = tmp.resolve("deploy");
        Files.createDirectories(deploy.resolve("assets"));
        Files.createSymbolicLink(deploy.resolve("assets/static"), tmp.resolve("outside"));

        try {
            HostFiles.removeTree(deploy.resolve("assets/static/c"), deploy);
        } catch (IllegalArgumentException refused) {
            // Refusing is fine; deleting outside the project is not.
        }

        assertThat(victim).as("a file outside the confinement root").exists().hasContent("keep me");
    }

    // ---- files --------------------------------------------------------------------------

    @Test
    void writeAtomicallyCreatesFoldersAndReplacesContent() throws IOException {
        Path file = tmp.resolve("deploy/run/sub/x.txt");

        HostFiles.writeAtomically(file, "one");
        HostFiles.writeAtomically(file, "two");

        assertThat(file).hasContent("two");
        try (Stream<Path> files = Files.list(file.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("x.txt");
        }
    }

    @Test
    void jsonRoundTripsRecordsWithInstantsAndOptionals() {
        Path file = tmp.resolve("deploy/builds/a/regent-build.json");
        var record = new BuildRecord("a", "v1", "0123456789abcdef", "app", 2000, "a-0123-2024", Instant.parse("2024-05-01T10:15:30Z"));
        var nginx = new NginxApplied(Optional.of("a"), Optional.empty(), Instant.parse("2024-05-01T10:15:31.5Z"));
        var socketNginx = new NginxApplied(Optional.empty(), Optional.empty(), Instant.parse("2024-05-01T10:15:32Z"),
                Optional.of("# live\nlocation / {\n}\n"), Optional.of("# stage\n"));
        Path nginxFile = tmp.resolve("deploy/run/nginx-applied.json");
        Path socketFile = tmp.resolve("deploy/run/nginx-applied-socket.json");

        HostFiles.writeJson(file, record);
        HostFiles.writeJson(nginxFile, nginx);
        HostFiles.writeJson(socketFile, socketNginx);

        assertThat(HostFiles.readJson(file, BuildRecord.class)).contains(record);
        assertThat(HostFiles.readJson(nginxFile, NginxApplied.class)).contains(nginx);
        assertThat(HostFiles.readJson(socketFile, NginxApplied.class)).contains(socketNginx);
        assertThat(file).content().contains("\"createdAt\" : \"2024-05-01T10:15:30Z\"");
    }

    @Test
    void readJsonOfMissingOrCorruptFileIsEmpty() throws IOException {
        Path corrupt = Files.writeString(tmp.resolve("bad.json"), "{\"name\": \"a\", ");

        assertThat(HostFiles.readJson(tmp.resolve("nope.json"), BuildRecord.class)).isEmpty();
        assertThat(HostFiles.readJson(corrupt, BuildRecord.class)).isEmpty();
        assertThat(HostFiles.readJson(builds.resolve("a"), BuildRecord.class)).as("a folder").isEmpty();
    }

    @Test
    void readTellsAMissingFileFromACorruptOneAndNamesTheParseError() throws IOException {
        Path run = Files.createDirectories(tmp.resolve("deploy/run"));
        Path corrupt = Files.writeString(run.resolve("nginx-applied.json"), "{\"live\": \"a\", ");
        Path nullJson = Files.writeString(run.resolve("null.json"), "null\n");
        NginxApplied nginx = new NginxApplied(Optional.of("a"), Optional.empty(), Instant.parse("2024-05-01T10:15:30Z"));
        HostFiles.writeJson(run.resolve("good.json"), nginx);

        assertThat(HostFiles.read(run.resolve("nope.json"), NginxApplied.class)).isEqualTo(new FileRead.Absent<>());
        assertThat(HostFiles.read(run.resolve("good.json"), NginxApplied.class)).isEqualTo(new FileRead.Present<>(nginx));
        assertThat(HostFiles.read(corrupt, NginxApplied.class)).isInstanceOfSatisfying(FileRead.Unreadable.class, u -> {
            assertThat(u.file()).isEqualTo(corrupt);
            assertThat(u.error()).contains("end-of-input").contains("line 1");
            assertThat(u.describe(tmp)).startsWith("deploy/run/nginx-applied.json (");
        });
        assertThat(HostFiles.read(nullJson, NginxApplied.class)).isInstanceOf(FileRead.Unreadable.class);
        assertThat(HostFiles.read(builds.resolve("a"), NginxApplied.class)).as("a folder").isInstanceOf(FileRead.Unreadable.class);
    }

    @Test
    void aRoleNameThatIsNoLinkIsUnreadableNotAbsent() throws IOException {
        Files.createDirectories(builds.resolve("_stage"));
        HostFiles.pointLink(builds.resolve("_live"), "a");

        assertThat(HostFiles.readLinkStrictly(builds.resolve("_live"))).isEqualTo(new FileRead.Present<>("a"));
        assertThat(HostFiles.readLinkStrictly(builds.resolve("_none"))).isEqualTo(new FileRead.Absent<>());
        assertThat(HostFiles.readLinkStrictly(builds.resolve("_stage"))).isInstanceOfSatisfying(FileRead.Unreadable.class,
                u -> assertThat(u.error()).contains("not a symbolic link"));
    }

    private List<String> leftovers() throws IOException {
        try (Stream<Path> files = Files.list(builds)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".new")).toList();
        }
    }
}
