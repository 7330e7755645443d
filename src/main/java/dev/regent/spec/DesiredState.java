package dev.regent.spec;

import dev.regent.fleet.FleetSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A validated desired-state.yaml. {@code builds} keeps file order. {@code fieldLines} maps a
 * field path such as {@code spec.builds.c.ref} or {@code spec.live} to its 1-based line, so
 * later checks (for example against the observed host) can name the line of what they reject.
 * {@code fleet} is present for a {@code kind: Fleet} file: the hosts that follow it and how they move live.
 */
public record DesiredState(
        Path file,
        String name,
        Source source,
        Map<String, BuildSpec> builds,
        Optional<String> live,
        Optional<String> stage,
        List<Step> steps,
        Map<String, Integer> fieldLines,
        Strategy strategy,
        List<SyncWindow> syncWindows,
        Duration healthTimeout,
        MigrationSpec migrations,
        DependencySpec dependencies,
        SiteSpec site,
        PromotionSpec promotion,
        List<NotificationSpec> notifications,
        Optional<FleetSpec> fleet) {

    public DesiredState {
        notifications = List.copyOf(notifications);
    }

    public DesiredState(Path file, String name, Source source, Map<String, BuildSpec> builds, Optional<String> live,
                        Optional<String> stage, List<Step> steps, Map<String, Integer> fieldLines, Strategy strategy,
                        List<SyncWindow> syncWindows, Duration healthTimeout, MigrationSpec migrations,
                        DependencySpec dependencies, SiteSpec site, PromotionSpec promotion,
                        List<NotificationSpec> notifications) {
        this(file, name, source, builds, live, stage, steps, fieldLines, strategy, syncWindows, healthTimeout,
                migrations, dependencies, site, promotion, notifications, Optional.empty());
    }

    public DesiredState(Path file, String name, Source source, Map<String, BuildSpec> builds, Optional<String> live,
                        Optional<String> stage, List<Step> steps, Map<String, Integer> fieldLines, Strategy strategy,
                        List<SyncWindow> syncWindows, Duration healthTimeout, MigrationSpec migrations,
                        DependencySpec dependencies, SiteSpec site) {
        this(file, name, source, builds, live, stage, steps, fieldLines, strategy, syncWindows, healthTimeout,
                migrations, dependencies, site, PromotionSpec.DEFAULT, List.of());
    }

    public DesiredState(Path file, String name, Source source, Map<String, BuildSpec> builds, Optional<String> live,
                        Optional<String> stage, List<Step> steps, Map<String, Integer> fieldLines, Strategy strategy,
                        List<SyncWindow> syncWindows, Duration healthTimeout) {
        this(file, name, source, builds, live, stage, steps, fieldLines, strategy, syncWindows, healthTimeout,
                MigrationSpec.DEFAULT);
    }

    public DesiredState(Path file, String name, Source source, Map<String, BuildSpec> builds, Optional<String> live,
                        Optional<String> stage, List<Step> steps, Map<String, Integer> fieldLines, Strategy strategy,
                        List<SyncWindow> syncWindows, Duration healthTimeout, MigrationSpec migrations) {
        this(file, name, source, builds, live, stage, steps, fieldLines, strategy, syncWindows, healthTimeout,
                migrations, DependencySpec.NONE);
    }

    public DesiredState(Path file, String name, Source source, Map<String, BuildSpec> builds, Optional<String> live,
                        Optional<String> stage, List<Step> steps, Map<String, Integer> fieldLines, Strategy strategy,
                        List<SyncWindow> syncWindows, Duration healthTimeout, MigrationSpec migrations,
                        DependencySpec dependencies) {
        this(file, name, source, builds, live, stage, steps, fieldLines, strategy, syncWindows, healthTimeout,
                migrations, dependencies, SiteSpec.NONE);
    }

    public int lineOf(String fieldPath) {
        return fieldLines.getOrDefault(fieldPath, 0);
    }

    /** The settings a build is made with: its own overrides, else the source's. */
    public EffectiveBuild effective(BuildSpec build) {
        return new EffectiveBuild(
                build.name(),
                build.ref(),
                build.active(),
                source.repo(),
                build.path().orElse(source.path()),
                build.settings().or(source::settings),
                build.wsgi().or(source::wsgi),
                build.healthPath().orElse(source.healthPath()),
                BuildNames.port(build.name()));
    }
}
