package dev.regent.spec;

import dev.regent.fleet.FleetHost;
import java.util.List;
import java.util.Optional;

/**
 * Which host a loaded file is applied by. A fleet file is applied by one of its hosts at a time,
 * so it needs the host's name, and the name must be one of its hosts; a host file is the host, so
 * a name given for it is refused rather than ignored. The state is the same for every host of a
 * fleet: paused and drained are read from its FleetSpec by the rollout, not applied here.
 */
final class HostSelection {
    private HostSelection() {
    }

    static LoadResult select(LoadResult loaded, Optional<String> host) {
        if (!(loaded instanceof LoadResult.Valid valid)) {
            return loaded;
        }
        DesiredState state = valid.state();
        if (state.fleet().isEmpty()) {
            return host.<LoadResult>map(name -> rejected(state, "kind", "--host is for fleet files (kind: "
                    + SpecRules.FLEET_KIND + "); this file is kind: " + SpecRules.KIND + " and drives the host it is on,"
                    + " so leave out --host (and REGENT_HOST)")).orElse(loaded);
        }
        List<String> names = state.fleet().get().hosts().stream().map(FleetHost::name).toList();
        String listed = "(hosts: " + String.join(", ", names) + ")";
        if (host.isEmpty()) {
            return rejected(state, "kind", "this is a fleet file: pass --host NAME (or set REGENT_HOST) with the host"
                    + " of fleet " + state.name() + " this Regent acts for " + listed);
        }
        if (!names.contains(host.get())) {
            return rejected(state, "spec.fleet.hosts", host.get() + " is not a host of fleet " + state.name() + " "
                    + listed + "; pass --host with one of them");
        }
        return loaded;
    }

    /** At the line of {@code field}; column 1, as a validated state keeps the lines of its fields only. */
    private static LoadResult rejected(DesiredState state, String field, String message) {
        return new LoadResult.Invalid(List.of(new SpecError(state.file(), Math.max(1, state.lineOf(field)), 1, field,
                message)));
    }
}
