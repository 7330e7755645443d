package dev.regent.edit;

import dev.regent.spec.BuildNames;
import dev.regent.spec.BuildSpec;
import dev.regent.spec.DesiredState;
import dev.regent.spec.LoadResult;
import dev.regent.spec.SpecError;
import dev.regent.spec.SpecLoader;
import dev.regent.spec.SpecRules;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The seed's workflow verbs as edits of desired-state.yaml. Pure: {@code state} must be the
 * parse of {@code text}; {@code buildsOnHost} names the build folders that exist on the host.
 * Nothing is written: an {@link VerbResult.Edited} carries the new text, already re-validated.
 */
public record SeedVerbs(DesiredState state, String text, Set<String> buildsOnHost) {

    public SeedVerbs {
        buildsOnHost = Set.copyOf(buildsOnHost);
    }

    /** The first name in the sequence a, b, ... that is neither listed nor on the host. */
    public static String findFreeBuild(DesiredState state, Set<String> buildsOnHost) {
        Set<String> taken = new HashSet<>(state.builds().keySet());
        taken.addAll(buildsOnHost);
        return BuildNames.firstFree(taken);
    }

    public VerbResult createBuild(String name, String ref) {
        Optional<String> nameProblem = BuildNames.problem(name);
        if (nameProblem.isPresent()) {
            return refused(nameProblem.get());
        }
        if (state.builds().containsKey(name)) {
            return refused("build " + name + " is already listed (ref \"" + state.builds().get(name).ref()
                    + "\"); builds are immutable: use a new name such as " + findFreeBuild(state, buildsOnHost));
        }
        if (buildsOnHost.contains(name)) {
            return refused("build " + name + " still exists on the host; builds are immutable: use a new name"
                    + " such as " + findFreeBuild(state, buildsOnHost));
        }
        Optional<String> refProblem = SpecRules.refProblem(ref);
        if (refProblem.isPresent()) {
            return refused(refProblem.get());
        }
        return edit(() -> DesiredStateEditor.addBuild(text, name, ref),
                "added build " + name + " (ref " + ref + ", port " + BuildNames.port(name) + ")");
    }

    public VerbResult activate(String name) {
        Optional<BuildSpec> build = listed(name);
        if (build.isEmpty()) {
            return notListed(name);
        }
        if (build.get().active()) {
            return refused("build " + name + " is already active");
        }
        return edit(() -> DesiredStateEditor.setActive(text, name, true), "activated build " + name);
    }

    public VerbResult deactivate(String name) {
        Optional<BuildSpec> build = listed(name);
        if (build.isEmpty()) {
            return notListed(name);
        }
        Optional<String> role = roleOf(name);
        if (role.isPresent()) {
            return refused("cannot deactivate the " + role.get() + " build");
        }
        if (!build.get().active()) {
            return refused("build " + name + " is already inactive");
        }
        return edit(() -> DesiredStateEditor.setActive(text, name, false), "deactivated build " + name);
    }

    public VerbResult stage(String name) {
        Optional<BuildSpec> build = listed(name);
        if (build.isEmpty()) {
            return notListed(name);
        }
        if (state.live().equals(Optional.of(name))) {
            return refused("cannot stage the live build");
        }
        if (state.stage().equals(Optional.of(name))) {
            return refused("build " + name + " is already the stage build");
        }
        if (!build.get().active()) {
            return refused("build " + name + " is inactive; activate it before staging it");
        }
        return edit(() -> DesiredStateEditor.setStage(text, name),
                "stage: " + state.stage().orElse("none") + " -> " + name);
    }

    /** Makes {@code name} (default: the stage build) live; the old live build becomes stage. */
    public VerbResult swapLive(Optional<String> name) {
        return swapLive(name, false);
    }

    /**
     * As {@link #swapLive(Optional)}; {@code allowUnsafeRollback} also sets that field on the new live
     * build, so live moves even though a breaking migration it does not know has been applied.
     */
    public VerbResult swapLive(Optional<String> name, boolean allowUnsafeRollback) {
        Optional<String> target = name.or(state::stage);
        if (target.isEmpty()) {
            return refused("there is no stage build to make live; stage one first or name a build");
        }
        String next = target.get();
        Optional<BuildSpec> build = listed(next);
        if (build.isEmpty()) {
            return notListed(next);
        }
        if (!build.get().active()) {
            return refused("build " + next + " is inactive; activate it before making it live");
        }
        if (state.live().equals(target)) {
            return refused("build " + next + " is already live");
        }
        Optional<String> oldLive = state.live();
        Optional<String> newStage = oldLive.or(() -> state.stage().filter(s -> !s.equals(next)));
        boolean markUnsafe = allowUnsafeRollback && !build.get().allowUnsafeRollback();
        return edit(() -> {
            String allowed = markUnsafe ? DesiredStateEditor.allowUnsafeRollback(text, next) : text;
            String withLive = DesiredStateEditor.setLive(allowed, next);
            return newStage.map(s -> DesiredStateEditor.setStage(withLive, s))
                    .orElseGet(() -> DesiredStateEditor.clearStage(withLive));
        }, "live: " + oldLive.orElse("none") + " -> " + next + "; stage: " + state.stage().orElse("none")
                + " -> " + newStage.orElse("none") + (markUnsafe ? "; build " + next + ": allowUnsafeRollback: true" : ""));
    }

    /**
     * Puts the previous live build back: {@code previous} (the build live was held at or moved from,
     * as the host remembers it), else the stage build; the current live build becomes stage.
     */
    public VerbResult rollback(Optional<String> previous) {
        Optional<String> target = previous.filter(p -> !state.live().equals(Optional.of(p))).or(state::stage);
        if (target.isEmpty() || state.live().isEmpty()) {
            return refused("there is no previous live build to roll back to: live is " + state.live().orElse("none")
                    + " and there is no stage build");
        }
        if (listed(target.get()).isEmpty()) {
            return refused("build " + target.get() + " (the previous live build) is no longer listed in spec.builds");
        }
        VerbResult swapped = swapLive(target, false);
        if (swapped instanceof VerbResult.Edited edited) {
            return new VerbResult.Edited(edited.newText(), "rolled back: " + edited.summary());
        }
        return swapped;
    }

    public VerbResult rm(String name) {
        if (listed(name).isEmpty()) {
            return notListed(name);
        }
        Optional<String> role = roleOf(name);
        if (role.isPresent()) {
            return refused("cannot remove the " + role.get() + " build");
        }
        return edit(() -> DesiredStateEditor.removeBuild(text, name), "removed build " + name);
    }

    private Optional<BuildSpec> listed(String name) {
        return Optional.ofNullable(state.builds().get(name));
    }

    private Optional<String> roleOf(String name) {
        if (state.live().equals(Optional.of(name))) {
            return Optional.of("live");
        }
        return state.stage().equals(Optional.of(name)) ? Optional.of("stage") : Optional.empty();
    }

    private static VerbResult refused(String reason) {
        return new VerbResult.Refused(reason);
    }

    private static VerbResult notListed(String name) {
        return refused("build " + name + " is not listed in spec.builds");
    }

    /** Applies the edit and keeps it only if the result is still a valid desired state. */
    private VerbResult edit(Supplier<String> change, String summary) {
        String next;
        try {
            next = change.get();
        } catch (EditException e) {
            return refused(e.getMessage());
        }
        LoadResult reparsed = SpecLoader.parseWholeFile(state.file(), next);
        if (reparsed instanceof LoadResult.Invalid invalid) {
            return refused("the edit would leave the file invalid: " + invalid.errors().stream()
                    .map(SpecError::toString).collect(Collectors.joining("; ")));
        }
        return new VerbResult.Edited(next, summary);
    }
}
