package dev.regent.spec;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Checks of a valid desired state against what the host has already built. Pure. */
public final class SpecChecks {
    private static final int SHORT_COMMIT = 7;

    private SpecChecks() {
    }

    /**
     * Builds are immutable: a listed build that exists on the host must still name the ref it was
     * built from. Errors point at the line of {@code spec.builds.<name>.ref} (column 1: the
     * desired state keeps lines only).
     */
    public static List<SpecError> againstRecorded(DesiredState desired, Map<String, String> recordedRefByBuild,
            Map<String, String> recordedCommitByBuild) {
        Set<String> taken = new HashSet<>(desired.builds().keySet());
        taken.addAll(recordedRefByBuild.keySet());
        List<SpecError> errors = new ArrayList<>();
        for (BuildSpec build : desired.builds().values()) {
            Optional<String> recorded = Optional.ofNullable(recordedRefByBuild.get(build.name()));
            if (recorded.isEmpty() || recorded.get().equals(build.ref())) {
                continue;
            }
            String free = BuildNames.firstFree(taken);
            taken.add(free);
            String commit = Optional.ofNullable(recordedCommitByBuild.get(build.name()))
                    .map(c -> " (commit " + c.substring(0, Math.min(SHORT_COMMIT, c.length())) + ")")
                    .orElse("");
            String field = "spec.builds." + build.name() + ".ref";
            int line = desired.lineOf(field) > 0 ? desired.lineOf(field) : Math.max(1, desired.lineOf(
                    "spec.builds." + build.name()));
            errors.add(new SpecError(desired.file(), line, 1, field, "build " + build.name()
                    + " was built from ref \"" + recorded.get() + "\"" + commit
                    + "; builds are immutable: add a new build (e.g. \"" + free + "\") for ref \"" + build.ref()
                    + "\""));
        }
        return errors;
    }
}
