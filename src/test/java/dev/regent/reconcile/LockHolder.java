package dev.regent.reconcile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Run in a child JVM by {@link HostLockTest}: takes the host lock, prints "locked", then holds it
 * until stdin closes (or the process is killed).
 */
public final class LockHolder {
    private LockHolder() {
    }

    public static void main(String[] args) throws IOException {
        StringBuilder holder = new StringBuilder();
        Optional<HostLock> lock = HostLock.tryAcquire(Path.of(args[0]), "regent pid " + ProcessHandle.current().pid(), holder);
        if (lock.isEmpty()) {
            System.out.println("busy " + holder);
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
