package dev.regent.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.regent.fs.HostFiles;
import dev.regent.reconcile.HostLock.Holder;
import dev.regent.reconcile.HostLock.Owner;
import dev.regent.time.FakeClock;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(120)
class HostLockTest {
    private static final Instant SINCE = Instant.parse("2024-05-06T07:08:09Z");
    private static final String OLD_TEXT = "regent run pid 2147483646 on a-host-long-gone since 2020-01-01T00:00:00Z, with a long tail";

    @TempDir
    Path tmp;
    private Process child;

    @AfterEach
    void killChild() {
        if (child != null && child.isAlive()) {
            child.destroyForcibly();
        }
    }

    private static Owner owner(String command, long pid) {
        return new Owner(command, pid, "web-1", SINCE);
    }

    private static Owner me() {
        return owner("run", ProcessHandle.current().pid());
    }

    @Test
    void acquiresWritesTheOwnerAsJsonAndCanBeTakenAgainAfterClose() throws Exception {
        Path file = tmp.resolve("deploy/run/regent.lock");
        var holder = new AtomicReference<Holder>();

        Optional<HostLock> lock = HostLock.tryAcquire(file, owner("run", 1), holder::set);
        assertThat(lock).isPresent();
        JsonNode json = HostFiles.JSON.readTree(file.toFile());
        assertThat(json.get("command").asText()).isEqualTo("run");
        assertThat(json.get("pid").asLong()).isEqualTo(1);
        assertThat(json.get("host").asText()).isEqualTo("web-1");
        assertThat(json.get("since").asText()).isEqualTo("2024-05-06T07:08:09Z");
        assertThat(holder).hasNullValue();
        lock.get().close();

        Optional<HostLock> again = HostLock.tryAcquire(file, owner("apply", 2), holder::set);
        assertThat(again).isPresent();
        assertThat(Holder.parse(Files.readString(file)).owner()).as("the old owner is replaced, not appended to")
                .contains(owner("apply", 2));
        again.get().close();
    }

    @Test
    void aLockFileLeftByADeadHolderBlocksNobody() throws Exception {
        Path file = tmp.resolve("deploy/run/regent.lock");
        Files.createDirectories(file.getParent());
        Files.writeString(file, OLD_TEXT + "\n");

        Optional<HostLock> lock = HostLock.tryAcquire(file, owner("run", 7), h -> { });

        assertThat(lock).as("only the kernel lock counts, never the content of the file").isPresent();
        assertThat(Holder.parse(Files.readString(file)).owner()).as("the dead holder's longer text is fully replaced")
                .contains(owner("run", 7));
        lock.get().close();
    }

    @Test
    void theHolderIsReadBackFromJsonAndAnOlderTextLockFileIsShownRaw() {
        Holder run = Holder.parse("{\"command\":\"run\",\"pid\":7,\"host\":\"web-1\",\"since\":\"2024-05-06T07:08:09Z\"}\n");
        assertThat(run.owner()).contains(owner("run", 7));
        assertThat(run.describe()).isEqualTo("regent run pid 7 on web-1 since 2024-05-06T07:08:09Z");
        assertThat(run.isRunLoop()).isTrue();

        Holder apply = Holder.parse("{\"command\":\"apply\",\"pid\":8,\"host\":\"web-1\",\"since\":\"2024-05-06T07:08:09Z\"}");
        assertThat(apply.isRunLoop()).as("an apply does not re-read the desired state").isFalse();

        Holder old = Holder.parse(OLD_TEXT + "\n");
        assertThat(old.owner()).isEmpty();
        assertThat(old.describe()).isEqualTo(OLD_TEXT);
        assertThat(old.isRunLoop()).as("text is never parsed for the command").isFalse();

        assertThat(Holder.parse("{\"pid\":9}").describe()).as("JSON that names no owner is shown as it is").isEqualTo("{\"pid\":9}");
        assertThat(Holder.parse("").describe()).isEqualTo("holder unknown");
    }

    @Test
    void awaitPollsNamesEachNewHolderOnceEvenAnOldTextOneAndTakesTheLockWhenTheHolderIsKilled() throws Exception {
        Path file = tmp.resolve("deploy/run/regent.lock");
        child = startHolder(file);
        assertThat(firstLine(child)).as(() -> "child stderr: " + stderrIfDead()).isEqualTo("locked");
        Owner other = owner("apply", 2147483645);
        var clock = new FakeClock();
        var sleeps = new AtomicInteger();
        var told = new ArrayList<Holder>();

        HostLock mine = HostLock.await(file, me(), told::add, Duration.ofMillis(500), clock.sleeper(() -> {
            // The file's content is advisory: other text can replace it while the lock stays put.
            int n = sleeps.incrementAndGet();
            if (n == 2) {
                Files.writeString(file, OLD_TEXT + "\n");
            } else if (n == 3) {
                Files.writeString(file, HostFiles.JSON.writeValueAsString(other));
            } else if (n == 5) {
                child.destroyForcibly(); // SIGKILL: no chance to release; the kernel must drop the lock
                assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
            }
        }));

        assertThat(clock.elapsed()).as("five polls of 500 ms, then the lock at the sixth").isEqualTo(Duration.ofMillis(2500));
        assertThat(told).as("each holder is told once, not at every poll").extracting(Holder::describe).containsExactly(
                "regent run pid " + child.pid() + " on " + LockHolder.HOST + " since " + told.get(0).owner().orElseThrow().since(),
                OLD_TEXT,
                "regent apply pid 2147483645 on web-1 since 2024-05-06T07:08:09Z");
        assertThat(Holder.parse(Files.readString(file)).owner()).contains(me());
        mine.close();
    }

    @Test
    void anotherProcessHoldingTheLockIsNamedAndItsDeathReleasesTheLock() throws Exception {
        Path file = tmp.resolve("deploy/run/regent.lock");
        child = startHolder(file);
        assertThat(firstLine(child)).as(() -> "child stderr: " + stderrIfDead()).isEqualTo("locked");

        var holder = new AtomicReference<Holder>();
        Optional<HostLock> mine = HostLock.tryAcquire(file, me(), holder::set);

        assertThat(mine).isEmpty();
        assertThat(holder.get().owner().map(Owner::pid)).contains(child.pid());
        assertThat(holder.get().describe()).startsWith("regent run pid " + child.pid() + " on " + LockHolder.HOST + " since ");
        assertThat(holder.get().isRunLoop()).isTrue();

        child.destroyForcibly(); // SIGKILL: no chance to release; the kernel must drop the lock
        await().atMost(Duration.ofSeconds(30)).until(() -> !child.isAlive());
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
            Optional<HostLock> taken = HostLock.tryAcquire(file, me(), h -> { });
            taken.ifPresent(HostLock::close);
            return taken.isPresent();
        });
        assertThat(Holder.parse(Files.readString(file)).owner()).contains(me());
    }

    private static String firstLine(Process process) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        return CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }).get(60, TimeUnit.SECONDS);
    }

    private static Process startHolder(Path file) throws java.io.IOException {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        return new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                LockHolder.class.getName(), file.toString()))
                .redirectError(ProcessBuilder.Redirect.PIPE)
                .start();
    }

    private String stderrIfDead() {
        try {
            return child.isAlive() ? "(running)" : new String(child.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }
}
