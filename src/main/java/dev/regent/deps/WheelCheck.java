package dev.regent.deps;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The check made before pip runs: every pinned requirement has a wheel of that version in the
 * wheelhouse, whose sha256 is one the requirement allows, and which is a readable wheel. Its
 * message names each package and version at fault and how to fill the wheelhouse.
 */
public final class WheelCheck {
    private WheelCheck() {
    }

    /** Empty when pip may run; otherwise why not, one line per problem. */
    public static Optional<String> check(Requirements requirements, Wheelhouse wheelhouse, String wheelhouseName) {
        List<String> problems = new ArrayList<>(requirements.problems().stream().map(p -> "requirements.txt " + p).toList());
        for (Requirement requirement : requirements.pinned()) {
            if (requirement.hasMarker()) {
                continue; // pip decides whether the marker applies to this interpreter
            }
            checkOne(requirement, wheelhouse, wheelhouseName).ifPresent(problems::add);
        }
        if (problems.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(String.join("\n", problems) + "\nfill it with: pip wheel -r requirements.txt -w "
                + wheelhouseName + " (where a package index is reachable), or copy the wheels there");
    }

    /** The pins with no wheel of their version in the wheelhouse at all (what an index could add). */
    public static List<Requirement> missing(Requirements requirements, Wheelhouse wheelhouse) {
        return requirements.pinned().stream().filter(r -> !r.hasMarker())
                .filter(r -> wheelhouse.of(r.name()).stream().noneMatch(w -> w.is(r.name(), r.version()))).toList();
    }

    private static Optional<String> checkOne(Requirement requirement, Wheelhouse wheelhouse, String wheelhouseName) {
        List<WheelFile> sameName = wheelhouse.of(requirement.name());
        List<WheelFile> candidates = sameName.stream().filter(w -> w.is(requirement.name(), requirement.version())).toList();
        if (candidates.isEmpty()) {
            String has = sameName.isEmpty() ? "no " + requirement.name() + " at all"
                    : requirement.name() + " " + sameName.stream().map(WheelFile::version).distinct().collect(Collectors.joining(", "));
            return Optional.of("missing wheel for " + requirement.pin() + " in " + wheelhouseName + " (it has " + has + ")");
        }
        if (!requirement.sha256().isEmpty()) {
            List<WheelFile> matching = candidates.stream().filter(w -> requirement.sha256().contains(wheelhouse.sha256(w))).toList();
            if (matching.isEmpty()) {
                return Optional.of("hash mismatch for " + requirement.pin() + ": "
                        + candidates.stream().map(w -> w.fileName() + " has sha256 " + wheelhouse.sha256(w)).collect(Collectors.joining(", "))
                        + ", requirements.txt allows " + String.join(", ", requirement.sha256()));
            }
            candidates = matching;
        }
        for (WheelFile wheel : candidates) {
            Optional<String> why = wheelhouse.unreadable(wheel);
            if (why.isPresent()) {
                return Optional.of("corrupt wheel for " + requirement.pin() + ": " + wheelhouseName + "/" + wheel.fileName()
                        + " cannot be installed: " + why.get());
            }
        }
        return Optional.empty();
    }
}
