package dev.regent.safety;

import dev.regent.observe.BreakingMigration;
import dev.regent.observe.MigrationRecord;
import java.util.List;
import java.util.Optional;

/**
 * Whether a build's code still works on the database as it is: it does not unless every migration
 * applied only by opt-in (breaking code that does not know it) is one the build knows. A build with
 * no finished release phase is not judged here: it migrates, and is judged, before it takes a role.
 */
public final class RollbackSafety {

    private RollbackSafety() {
    }

    /** Why rolling back to this build is unsafe, or empty when it is safe (or not yet known). */
    public static Optional<String> unsafe(Optional<MigrationRecord> record, List<BreakingMigration> ledger) {
        if (record.isEmpty() || !record.get().done() || !record.get().plan().database()) {
            return Optional.empty();
        }
        List<String> known = record.get().plan().known();
        List<String> unknown = ledger.stream()
                .filter(b -> !known.contains(b.migration()))
                .map(b -> b.migration() + " (opted in, applied by build " + b.build() + " at " + b.at() + ")")
                .distinct().toList();
        return unknown.isEmpty() ? Optional.empty()
                : Optional.of("its code does not know the breaking migration" + (unknown.size() > 1 ? "s " : " ")
                + String.join(", ", unknown));
    }
}
