package dev.regent.observe;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The revisions whose slot queue this host joined and has not left. A revision is noted before the
 * store is asked to queue it and dropped only after the store confirmed the release, so a queue
 * the store recorded without answering is still left later. It lives as long as the process, as
 * the lease the slots live under does: a restarted host holds no slot of its past. It carries this
 * host's {@link MigrationLedger} too, shared the same way between the observation and the executor.
 */
public final class SlotLedger {
    private final Set<String> revisions = ConcurrentHashMap.newKeySet();
    private final MigrationLedger migrations = new MigrationLedger();

    public MigrationLedger migrations() {
        return migrations;
    }

    public void joined(String revision) {
        revisions.add(revision);
    }

    public void left(String revision) {
        revisions.remove(revision);
    }

    public Set<String> revisions() {
        return Set.copyOf(revisions);
    }
}
