package dev.regent.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostLockTest {
    @TempDir
    Path tmp;
    private Process child;

    @AfterEach
    void killChild() {
        if (child != null && child.isAlive()) {
            child.destroyForcibly();
        }
    }

    @Test
    void acquiresWritesTheOwnerAndCanBeTakenAgainAfterClose() throws Exception {
        Path file = tmp.resolve("deploy/run/regent.lock");
        StringBuilder holder = new StringBuilder();

        Optional<HostLock> lock = HostLock.tryAcquire(file, "regent pid 1 on host", holder);
        assertThat(lock).isPresent();
        assertThat(file).hasContent("regent pid 1 on host");
        assertThat(holder).isEmpty();
        lock.get().close();

        Optional<HostLock> again = HostLock.tryAcquire(file, "regent pid 2", holder);
        assertThat(again).isPresent();
        assertThat(file).as("the old owner is replaced, not appended to").hasContent("regent pid 2");
        again.get().close();
    }

    @Test
    void aLockFileLeftByADeadHolderBlocksNobody() throws Exception {
        Path file = tmp.resolve("deploy/run/regent.lock");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "regent run pid 2147483646 on a-host-long-gone since 2020-01-01T00:00:00Z, with a long tail\n");

        Optional<HostLock> lock = HostLock.tryAcquire(file, "regent run pid 7", new StringBuilder());

        assertThat(lock).as("only the kernel lock counts, never the text of the file").isPresent();
        assertThat(file).as("the dead holder's longer text is fully replaced").hasContent("regent run pid 7");
        lock.get().close();
    }

    @Test
    void awaitNamesTheHolderOnceAndTakesTheLockWhenTheHolderIsKilled() throws Exception {
        Path file = tmp.resolve("deploy/run/regent.lock");
        child = startHolder(file);
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        assertThat(CompletableFuture.supplyAsync(() -> readLine(out)).get(60, TimeUnit.SECONDS)).isEqualTo("locked");
        var told = new CopyOnWriteArrayList<String>();
        CompletableFuture<HostLock> waiter = CompletableFuture.supplyAsync(() -> {
            try {
                return HostLock.await(file, "regent run pid " + ProcessHandle.current().pid(), told::add, Duration.ofMillis(20));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        await().atMost(Duration.ofSeconds(30)).until(() -> !told.isEmpty());
        assertThat(waiter).isNotDone();

        child.destroyForcibly();

        HostLock mine = waiter.get(30, TimeUnit.SECONDS);
        assertThat(told).as("the holder is told once, not at every poll").containsExactly("regent pid " + child.pid());
        assertThat(file).hasContent("regent run pid " + ProcessHandle.current().pid());
        mine.close();
    }

    private static String readLine(BufferedReader in) {
        try {
            return in.readLine();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void anotherProcessHoldingTheLockIsNamedAndItsDeathReleasesTheLock() throws Exception {
        Path file = tmp.resolve("deploy/run/regent.lock");
        child = startHolder(file);
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        String first = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }).get(60, TimeUnit.SECONDS);
        assertThat(first).as("child stderr: " + stderrIfDead()).isEqualTo("locked");

        StringBuilder holder = new StringBuilder();
        Optional<HostLock> mine = HostLock.tryAcquire(file, "regent pid " + ProcessHandle.current().pid(), holder);

        assertThat(mine).isEmpty();
        assertThat(holder.toString()).isEqualTo("regent pid " + child.pid());

        child.destroyForcibly(); // SIGKILL: no chance to release; the kernel must drop the lock
        await().atMost(Duration.ofSeconds(30)).until(() -> !child.isAlive());
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
            Optional<HostLock> taken = HostLock.tryAcquire(file, "regent pid " + ProcessHandle.current().pid(), new StringBuilder());
            taken.ifPresent(HostLock::close);
            return taken.isPresent();
        });
        assertThat(Files.readString(file).strip()).isEqualTo("regent pid " + ProcessHandle.current().pid());
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
