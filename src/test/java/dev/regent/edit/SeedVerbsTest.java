package dev.regent.edit;

import static dev.regent.edit.DesiredStateEditorTest.fixture;
import static dev.regent.edit.DesiredStateEditorTest.reparse;
import static org.assertj.core.api.Assertions.assertThat;

import dev.regent.spec.DesiredState;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** editable.yaml: builds a, b (active) and c (inactive); live a; no stage. */
class SeedVerbsTest {

    private static SeedVerbs verbs(String text, Set<String> onHost) {
        return new SeedVerbs(reparse(text), text, onHost);
    }

    private static SeedVerbs sample() {
        return verbs(fixture("editable.yaml"), Set.of("a", "b", "c"));
    }

    private static DesiredState edited(VerbResult result) {
        assertThat(result).isInstanceOf(VerbResult.Edited.class);
        return reparse(((VerbResult.Edited) result).newText());
    }

    private static String refusal(VerbResult result) {
        assertThat(result).isInstanceOf(VerbResult.Refused.class);
        return ((VerbResult.Refused) result).reason();
    }

    private static String text(VerbResult result) {
        return ((VerbResult.Edited) result).newText();
    }

    @Test
    void findFreeBuildSkipsListedNamesAndNamesOnTheHost() {
        DesiredState state = reparse(fixture("editable.yaml"));

        assertThat(SeedVerbs.findFreeBuild(state, Set.of())).isEqualTo("d");
        assertThat(SeedVerbs.findFreeBuild(state, Set.of("d", "f"))).isEqualTo("e");
    }

    @Test
    void createBuildAddsAnEntry() {
        VerbResult result = sample().createBuild("d", "feature/x");

        DesiredState after = edited(result);
        assertThat(after.builds().get("d").ref()).isEqualTo("feature/x");
        assertThat(((VerbResult.Edited) result).summary()).contains("d").contains("feature/x").contains("2030");
    }

    @Test
    void createBuildRefusesTakenInvalidOrBadRefs() {
        assertThat(refusal(sample().createBuild("a", "main"))).contains("already listed").contains("d");
        assertThat(refusal(verbs(fixture("editable.yaml"), Set.of("d")).createBuild("d", "main")))
                .contains("still exists on the host").contains(" e");
        assertThat(refusal(sample().createBuild("_live", "main"))).contains("lowercase letters only");
        assertThat(refusal(sample().createBuild("D", "main"))).contains("lowercase letters only");
        assertThat(refusal(sample().createBuild("zzz", "main"))).contains("65535");
        assertThat(refusal(sample().createBuild("d", "--upload-pack=x"))).contains("must not start with -");
        assertThat(refusal(sample().createBuild("d", "a b"))).contains("may only contain");
    }

    @Test
    void activateAndDeactivate() {
        assertThat(edited(sample().activate("c")).builds().get("c").active()).isTrue();
        assertThat(edited(sample().deactivate("b")).builds().get("b").active()).isFalse();
        assertThat(refusal(sample().activate("a"))).contains("already active");
        assertThat(refusal(sample().deactivate("c"))).contains("already inactive");
        assertThat(refusal(sample().activate("z"))).contains("not listed");
        assertThat(refusal(sample().deactivate("a"))).isEqualTo("cannot deactivate the live build");
        SeedVerbs staged = verbs(text(sample().stage("b")), Set.of());
        assertThat(refusal(staged.deactivate("b"))).isEqualTo("cannot deactivate the stage build");
    }

    @Test
    void stageGuards() {
        assertThat(refusal(sample().stage("a"))).isEqualTo("cannot stage the live build");
        assertThat(refusal(sample().stage("c"))).contains("inactive");
        assertThat(refusal(sample().stage("x"))).contains("not listed");
        VerbResult staged = sample().stage("b");
        assertThat(edited(staged).stage()).contains("b");
        assertThat(refusal(verbs(text(staged), Set.of()).stage("b"))).contains("already the stage build");
    }

    @Test
    void swapLiveMakesStageLiveAndOldLiveStage() {
        SeedVerbs staged = verbs(text(sample().stage("b")), Set.of("a", "b", "c"));

        VerbResult swapped = staged.swapLive(Optional.empty());

        DesiredState after = edited(swapped);
        assertThat(after.live()).contains("b");
        assertThat(after.stage()).contains("a");
        assertThat(((VerbResult.Edited) swapped).summary()).isEqualTo("live: a -> b; stage: b -> a");
        assertThat(text(swapped)).contains("# production").contains("# Keep this comment exactly as it is.");
    }

    @Test
    void swapLiveToANamedBuild() {
        SeedVerbs activated = verbs(text(sample().activate("c")), Set.of());

        DesiredState after = edited(activated.swapLive(Optional.of("c")));

        assertThat(after.live()).contains("c");
        assertThat(after.stage()).contains("a");
    }

    @Test
    void swapLiveAllowingAnUnsafeRollbackMarksTheNewLiveBuildAndKeepsComments() {
        SeedVerbs staged = verbs(text(sample().stage("b")), Set.of("a", "b", "c"));

        VerbResult swapped = staged.swapLive(Optional.empty(), true);

        DesiredState after = edited(swapped);
        assertThat(after.live()).contains("b");
        assertThat(after.builds().get("b").allowUnsafeRollback()).isTrue();
        assertThat(after.builds().get("a").allowUnsafeRollback()).isFalse();
        assertThat(((VerbResult.Edited) swapped).summary()).endsWith("; build b: allowUnsafeRollback: true");
        assertThat(text(swapped)).contains("# production").contains("# Keep this comment exactly as it is.");
        assertThat(edited(verbs(text(swapped), Set.of()).swapLive(Optional.of("a"))).builds().get("b").allowUnsafeRollback())
                .as("the field stays until removed by hand").isTrue();
    }

    @Test
    void swapLiveWithoutAnOldLiveClearsStage() {
        String noLive = DesiredStateEditor.setStage(DesiredStateEditor.clearLive(fixture("editable.yaml")), "b");

        DesiredState after = edited(verbs(noLive, Set.of()).swapLive(Optional.empty()));

        assertThat(after.live()).contains("b");
        assertThat(after.stage()).isEmpty();
    }

    @Test
    void swapLiveGuards() {
        assertThat(refusal(sample().swapLive(Optional.empty()))).contains("no stage build");
        assertThat(refusal(sample().swapLive(Optional.of("c")))).contains("inactive");
        assertThat(refusal(sample().swapLive(Optional.of("q")))).contains("not listed");
        assertThat(refusal(sample().swapLive(Optional.of("a")))).contains("already live");
    }

    @Test
    void rmRemovesOnlyBuildsWithoutARole() {
        assertThat(edited(sample().rm("c")).builds()).containsOnlyKeys("a", "b");
        assertThat(refusal(sample().rm("a"))).isEqualTo("cannot remove the live build");
        SeedVerbs staged = verbs(text(sample().stage("b")), Set.of());
        assertThat(refusal(staged.rm("b"))).isEqualTo("cannot remove the stage build");
        assertThat(refusal(sample().rm("q"))).contains("not listed");
    }

    @Test
    void anEditThatWouldLeaveTheFileInvalidIsRefused() {
        // The state claims c is active, but the text still says active: false.
        DesiredState stale = reparse(DesiredStateEditor.setActive(fixture("editable.yaml"), "c", true));
        SeedVerbs verbs = new SeedVerbs(stale, fixture("editable.yaml"), Set.of());

        assertThat(refusal(verbs.stage("c"))).contains("would leave the file invalid").contains("spec.stage");
    }
}
