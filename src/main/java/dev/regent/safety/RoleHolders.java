package dev.regent.safety;

import dev.regent.fs.HostLayout;
import dev.regent.observe.NginxApplied;
import dev.regent.observe.ObservedHost;
import dev.regent.observe.RoleFiles;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The rule that keeps serving builds up: no action stops, unlinks or removes a build that
 * {@code _live}, {@code _stage} or nginx's confirmed config points at. While a file the rule reads
 * is unreadable ({@code unreadable}, each naming the file and the error) no build may be stopped:
 * an unreadable file never means "nothing to protect". The planner applies it to the observed host;
 * the executor and the pool deadline apply it again to the files as they are now.
 */
public record RoleHolders(Set<String> builds, List<String> unreadable) {

    public RoleHolders {
        builds = Set.copyOf(builds);
        unreadable = List.copyOf(unreadable);
    }

    public static RoleHolders of(Optional<String> live, Optional<String> stage, Optional<NginxApplied> nginx,
                                 List<String> unreadable) {
        Set<String> names = new TreeSet<>();
        live.ifPresent(names::add);
        stage.ifPresent(names::add);
        nginx.flatMap(NginxApplied::live).ifPresent(names::add);
        nginx.flatMap(NginxApplied::stage).ifPresent(names::add);
        return new RoleHolders(names, unreadable);
    }

    public static RoleHolders of(ObservedHost observed) {
        return of(observed.live(), observed.stage(), observed.nginx(), observed.unreadable());
    }

    /** The holders as the files on disk say right now. */
    public static RoleHolders onDisk(HostLayout layout) {
        RoleFiles files = RoleFiles.read(layout);
        return of(files.live(), files.stage(), files.nginx(), files.unreadable());
    }

    /** These holders and the build a role will point at (a role the plan moves protects both ends). */
    public RoleHolders and(Optional<String> build) {
        Set<String> names = new TreeSet<>(builds);
        build.ifPresent(names::add);
        return new RoleHolders(names, unreadable);
    }

    /** The holders but {@code build}, sorted: the builds serving beside it, which its contract step waits out. */
    public List<String> besides(String build) {
        return builds.stream().filter(b -> !b.equals(build)).sorted().toList();
    }

    /** Why {@code build} may not be stopped or removed now, or empty if it may. */
    public Optional<String> refusal(String build) {
        if (!unreadable.isEmpty()) {
            return Optional.of("could not read " + String.join(", ", unreadable) + ", so whether a role points at build "
                    + build + " is unknown");
        }
        return builds.contains(build)
                ? Optional.of("a role points at build " + build + " (_live, _stage or nginx's confirmed config)")
                : Optional.empty();
    }
}
