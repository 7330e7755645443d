package dev.regent.reconcile;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * Run in a child JVM by {@link HostLockTest}: takes the host lock as a `regent run` on host
 * "lock-holder", prints "locked", then holds it until stdin closes (or the process is killed).
 */
public final class LockHolder {
    static final String HOST = "lock-holder";

    private LockHolder() {
    }

    public static void main(String[] args) throws IOException {
        var owner = new HostLock.Owner("run", ProcessHandle.current().pid(), HOST, Instant.now().truncatedTo(ChronoUnit.SECONDS));
        Optional<HostLock> lock = HostLock.tryAcquire(Path.of(args[0]), owner,
                holder -> System.out.println("busy " + holder.describe()));
        if (lock.isEmpty()) {
            System.out.flush();
            System.exit(3);
        }
        System.out.println("locked");
        System.out.flush();
        while (System.in.read() >= 0) {
            // hold the lock until stdin closes
        }
        lock.get().close();
    }
}
