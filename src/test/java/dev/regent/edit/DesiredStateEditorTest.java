package dev.regent.edit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.regent.spec.DesiredState;
import dev.regent.spec.LoadResult;
import dev.regent.spec.SpecLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class DesiredStateEditorTest {
    private static final Path FILE = Path.of("desired-state.yaml");

    static String fixture(String name) {
        try {
            return Files.readString(Path.of(DesiredStateEditorTest.class.getResource("/spec/" + name).toURI()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static DesiredState reparse(String text) {
        LoadResult result = SpecLoader.parse(FILE, text);
        assertThat(result).as("re-parse of:%n%s", text).isInstanceOf(LoadResult.Valid.class);
        return ((LoadResult.Valid) result).state();
    }

    /** Every comment of {@code before} except those on {@code removedLines} is in {@code after}, in order. */
    static void assertCommentsKept(String before, String after, String... removedLines) {
        List<String> expected = comments(before);
        expected.removeAll(Arrays.asList(removedLines));
        assertThat(comments(after)).containsSubsequence(expected);
        assertThat(comments(after)).hasSameSizeAs(expected);
    }

    private static List<String> comments(String text) {
        List<String> out = new ArrayList<>();
        for (String line : text.split("\n", -1)) {
            int hash = line.indexOf('#');
            if (hash >= 0) {
                out.add(line.substring(hash));
            }
        }
        return out;
    }

    private static String replaceOnce(String text, String from, String to) {
        assertThat(text).contains(from);
        return text.replaceFirst(java.util.regex.Pattern.quote(from), java.util.regex.Matcher.quoteReplacement(to));
    }

    @Test
    void addBuildFollowsTheFlowStyleOfExistingEntries() {
        String before = fixture("editable.yaml");

        String after = DesiredStateEditor.addBuild(before, "d", "feature/x");

        assertThat(after).isEqualTo(replaceOnce(before, "      active: false  # paused\n",
                "      active: false  # paused\n    d: {ref: feature/x}\n"));
        assertThat(reparse(after).builds().get("d").ref()).isEqualTo("feature/x");
        assertCommentsKept(before, after);
    }

    @Test
    void addBuildQuotesRefsYamlWouldMisread() {
        String before = fixture("editable.yaml");

        for (String ref : List.of("yes", "on", "1.10", "12", "HEAD@{1}")) {
            String after = DesiredStateEditor.addBuild(before, "d", ref);
            assertThat(after).contains("    d: {ref: \"" + ref + "\"}\n");
            assertThat(reparse(after).builds().get("d").ref()).isEqualTo(ref);
        }
    }

    @Test
    void addBuildFollowsBlockStyleWhenEveryEntryIsBlock() {
        String before = fixture("editable-block-builds.yaml");

        String after = DesiredStateEditor.addBuild(before, "c", "main");

        assertThat(after).isEqualTo(replaceOnce(before, "      active: false\n",
                "      active: false\n    c:\n      ref: main\n"));
        assertThat(reparse(after).builds()).containsOnlyKeys("a", "b", "c");
    }

    @Test
    void addBuildToAOneLineFlowMapping() {
        String before = fixture("editable-flow.yaml");

        String after = DesiredStateEditor.addBuild(before, "d", "on");

        assertThat(after).isEqualTo(replaceOnce(before, "c: {ref: v2}}", "c: {ref: v2}, d: {ref: \"on\"}}"));
        assertThat(reparse(after).builds().get("d").ref()).isEqualTo("on");
        assertCommentsKept(before, after);
    }

    @Test
    void addBuildToAMultiLineFlowMappingKeepsOneEntryPerLine() {
        String before = """
                apiVersion: regent/v1
                kind: Host
                metadata: {name: demo}
                spec:
                  source: {repo: ., path: app}
                  builds: {
                    a: {ref: HEAD},   # first
                    b: {ref: main}
                  }
                """;

        String after = DesiredStateEditor.addBuild(before, "c", "dev");

        assertThat(after).isEqualTo(replaceOnce(before, "    b: {ref: main}\n",
                "    b: {ref: main},\n    c: {ref: dev}\n"));
        assertThat(reparse(after).builds()).containsOnlyKeys("a", "b", "c");
    }

    @Test
    void addBuildToAnEmptyBuildsKeyUsesTheFilesIndent() {
        String before = fixture("editable-empty.yaml");

        String after = DesiredStateEditor.addBuild(before, "a", "HEAD");

        assertThat(after).isEqualTo(replaceOnce(before, "    builds:   # none yet\n",
                "    builds:   # none yet\n        a: {ref: HEAD}\n"));
        assertThat(reparse(after).builds()).containsOnlyKeys("a");
        assertCommentsKept(before, after);
    }

    @Test
    void addBuildToEmptyFlowNullAndMissingBuilds() {
        String head = "apiVersion: regent/v1\nkind: Host\nmetadata: {name: demo}\nspec:\n"
                + "  source: {repo: ., path: app}  # src\n";

        assertThat(DesiredStateEditor.addBuild(head + "  builds: {}\n", "a", "HEAD"))
                .isEqualTo(head + "  builds: {a: {ref: HEAD}}\n");
        assertThat(DesiredStateEditor.addBuild(head + "  builds: ~  # none\n", "a", "HEAD"))
                .isEqualTo(head + "  builds: {a: {ref: HEAD}}  # none\n");
        assertThat(DesiredStateEditor.addBuild(head, "a", "HEAD"))
                .isEqualTo(head + "  builds:\n    a: {ref: HEAD}\n");
        assertThat(reparse(DesiredStateEditor.addBuild(head, "a", "HEAD")).builds()).containsOnlyKeys("a");
    }

    @Test
    void addBuildToAFlowSpec() {
        String before = "apiVersion: regent/v1\nkind: Host\nmetadata: {name: demo}\n"
                + "spec: {source: {repo: ., path: app}}   # all flow\n";

        String after = DesiredStateEditor.addBuild(before, "a", "HEAD");

        assertThat(after).isEqualTo("apiVersion: regent/v1\nkind: Host\nmetadata: {name: demo}\n"
                + "spec: {source: {repo: ., path: app}, builds: {a: {ref: HEAD}}}   # all flow\n");
        String staged = DesiredStateEditor.setStage(after, "a");
        assertThat(reparse(staged).stage()).contains("a");
    }

    @Test
    void addBuildRefusesAListedName() {
        assertThatThrownBy(() -> DesiredStateEditor.addBuild(fixture("editable.yaml"), "b", "x"))
                .isInstanceOf(EditException.class).hasMessageContaining("already listed");
    }

    @Test
    void setLiveReplacesOnlyTheValue() {
        String before = fixture("editable.yaml");

        String after = DesiredStateEditor.setLive(before, "b");

        assertThat(after).isEqualTo(replaceOnce(before, "  live: a          # production",
                "  live: b          # production"));
        assertThat(reparse(after).live()).contains("b");
    }

    @Test
    void setLiveFillsAnEmptyValue() {
        String before = "apiVersion: regent/v1\nkind: Host\nmetadata: {name: demo}\nspec:\n"
                + "  source: {repo: ., path: app}\n  builds: {a: {ref: HEAD}}\n  live:   # to do\n";

        String after = DesiredStateEditor.setLive(before, "a");

        assertThat(after).endsWith("  live: a   # to do\n");
        assertThat(reparse(after).live()).contains("a");
    }

    @Test
    void setStageAddsTheKeyAfterLive() {
        String before = fixture("editable.yaml");

        String after = DesiredStateEditor.setStage(before, "b");

        assertThat(after).isEqualTo(replaceOnce(before, "  live: a          # production\n",
                "  live: a          # production\n  stage: b\n"));
        DesiredState state = reparse(after);
        assertThat(state.stage()).contains("b");
        assertThat(state.lineOf("spec.stage")).isEqualTo(state.lineOf("spec.live") + 1);
        assertCommentsKept(before, after);
    }

    @Test
    void setStageQuotesBuildNamesThatLookLikeBooleans() {
        String before = fixture("editable.yaml");
        String withN = DesiredStateEditor.addBuild(before, "n", "HEAD");

        String after = DesiredStateEditor.setStage(withN, "n");

        assertThat(after).contains("    \"n\": {ref: HEAD}\n").contains("  stage: \"n\"\n");
        assertThat(reparse(after).stage()).contains("n");
    }

    @Test
    void setActiveTrueRemovesActiveFalseInBlockStyle() {
        String before = fixture("editable.yaml");

        String after = DesiredStateEditor.setActive(before, "c", true);

        assertThat(after).isEqualTo(replaceOnce(before, "      active: false  # paused\n", ""));
        assertThat(reparse(after).builds().get("c").active()).isTrue();
        assertCommentsKept(before, after, "# paused");
    }

    @Test
    void setActiveTrueRemovesActiveFalseInFlowStyle() {
        String before = fixture("editable-flow.yaml");

        String after = DesiredStateEditor.setActive(before, "b", true);

        assertThat(after).isEqualTo(replaceOnce(before, "b: {ref: main, active: false}", "b: {ref: main}"));
        assertThat(reparse(after).builds().get("b").active()).isTrue();
    }

    @Test
    void setActiveTrueOnAnActiveBuildChangesNothing() {
        String before = fixture("editable.yaml");

        assertThat(DesiredStateEditor.setActive(before, "b", true)).isEqualTo(before);
    }

    @Test
    void setActiveFalseAddsOrSetsTheKey() {
        String flow = fixture("editable.yaml");
        String block = fixture("editable-block-builds.yaml");

        String flowAfter = DesiredStateEditor.setActive(flow, "b", false);
        String blockAfter = DesiredStateEditor.setActive(block, "a", false);
        String blockFirst = DesiredStateEditor.setActive(
                replaceOnce(block, "      ref: HEAD     # first\n", "      active: true\n      ref: HEAD\n"), "a",
                false);

        assertThat(flowAfter).isEqualTo(replaceOnce(flow, "b: {ref: main}", "b: {ref: main, active: false}"));
        assertThat(blockAfter).isEqualTo(replaceOnce(block, "      ref: HEAD     # first\n",
                "      ref: HEAD     # first\n      active: false\n"));
        assertThat(blockFirst).contains("      active: false\n      ref: HEAD\n");
        assertThat(reparse(flowAfter).builds().get("b").active()).isFalse();
        assertThat(reparse(DesiredStateEditor.clearStage(blockAfter)).builds().get("a").active()).isFalse();
    }

    @Test
    void removeBuildRemovesAllLinesOfABlockEntry() {
        String before = fixture("editable.yaml");

        String after = DesiredStateEditor.removeBuild(before, "c");

        assertThat(after).isEqualTo(replaceOnce(before,
                "    c:               # block style\n      ref: feature\n      active: false  # paused\n", ""));
        assertThat(reparse(after).builds()).containsOnlyKeys("a", "b");
        assertCommentsKept(before, after, "# block style", "# paused");
    }

    @Test
    void removeBuildRemovesAOneLineEntry() {
        String before = fixture("editable.yaml");

        String after = DesiredStateEditor.removeBuild(before, "b");

        assertThat(after).isEqualTo(replaceOnce(before, "    b: {ref: main}   # second\n", ""));
        assertThat(reparse(after).builds()).containsOnlyKeys("a", "c");
    }

    @Test
    void removeBuildFromAFlowMapping() {
        String before = fixture("editable-flow.yaml");

        String first = DesiredStateEditor.removeBuild(before, "a");
        String middle = DesiredStateEditor.removeBuild(before, "b");

        assertThat(first).isEqualTo(replaceOnce(before, "{a: {ref: HEAD}, b:", "{b:"));
        assertThat(middle).isEqualTo(replaceOnce(before, ", b: {ref: main, active: false}", ""));
        assertThat(reparse(middle).builds()).containsOnlyKeys("a", "c");
        String onlyOne = DesiredStateEditor.removeBuild(DesiredStateEditor.removeBuild(middle, "c"), "a");
        assertThat(onlyOne).contains("  builds: {}   # all on one line\n");
    }

    @Test
    void removingTheLastBlockEntryLeavesAnEmptyBuildsKey() {
        String before = fixture("editable-block-builds.yaml");

        String after = DesiredStateEditor.removeBuild(DesiredStateEditor.removeBuild(
                DesiredStateEditor.clearStage(before), "a"), "b");

        assertThat(after).contains("  builds:\n# end of file\n");
        assertThat(reparse(after).builds()).isEmpty();
    }

    @Test
    void clearStageRemovesTheLineAndLeavesTheRest() {
        String before = fixture("editable-flow.yaml");

        assertThat(DesiredStateEditor.clearStage(before)).isEqualTo(replaceOnce(before, "  stage: c\n", ""));
        assertThat(DesiredStateEditor.clearLive(fixture("editable.yaml"))).doesNotContain("live:");
        assertThat(DesiredStateEditor.clearStage(fixture("editable.yaml"))).isEqualTo(fixture("editable.yaml"));
    }

    @Test
    void keepsCrlfLineEnds() {
        String before = fixture("editable.yaml").replace("\n", "\r\n");

        String after = DesiredStateEditor.setStage(DesiredStateEditor.addBuild(before, "d", "x"), "d");

        assertThat(after.replace("\r\n", "")).doesNotContain("\n");
        assertThat(after).contains("    d: {ref: x}\r\n").contains("  stage: d\r\n");
        assertThat(reparse(after).stage()).contains("d");
    }

    @Test
    void positionsAreRightAfterCharactersOutsideTheBasicPlane() {
        String before = replaceOnce(fixture("editable.yaml"), "# first", "# first \uD83D\uDE80\uD83D\uDE80 rocket");

        String after = DesiredStateEditor.setLive(DesiredStateEditor.removeBuild(before, "b"), "c");

        assertThat(after).contains("# first \uD83D\uDE80\uD83D\uDE80 rocket\n").contains("  live: c          #");
        assertThat(after).doesNotContain("b: {ref: main}");
        reparse(DesiredStateEditor.setActive(after, "c", true));
    }

    @Test
    void refusesFilesItCannotEditSafely() {
        String aliased = "apiVersion: regent/v1\nkind: Host\nmetadata: {name: demo}\nspec:\n"
                + "  source: &s {repo: ., path: app}\n  builds: {a: {ref: HEAD}}\n";
        assertThatThrownBy(() -> DesiredStateEditor.setLive(aliased + "x: *s\n", "a"))
                .isInstanceOf(EditException.class).hasMessageContaining("aliases");
        assertThatThrownBy(() -> DesiredStateEditor.setLive("spec: [\n", "a"))
                .isInstanceOf(EditException.class).hasMessageContaining("does not parse");
        assertThatThrownBy(() -> DesiredStateEditor.setLive("kind: Host\n", "a"))
                .isInstanceOf(EditException.class).hasMessageContaining("no spec");
        assertThatThrownBy(() -> DesiredStateEditor.removeBuild(fixture("editable-empty.yaml"), "a"))
                .isInstanceOf(EditException.class).hasMessageContaining("not listed");
        assertThatThrownBy(() -> DesiredStateEditor.setActive(fixture("editable.yaml"), "z", true))
                .isInstanceOf(EditException.class).hasMessageContaining("not listed");
    }

    @Test
    void everyEditOfTheSampleReparsesWithItsCommentsIntact() {
        String before = fixture("editable.yaml");
        List<String> results = List.of(
                DesiredStateEditor.addBuild(before, "e", "v2"),
                DesiredStateEditor.setLive(before, "b"),
                DesiredStateEditor.setStage(before, "b"),
                DesiredStateEditor.setActive(before, "b", false));

        for (String after : results) {
            reparse(after);
            assertCommentsKept(before, after);
        }
        assertThat(reparse(results.get(3)).builds().get("b").active()).isFalse();
        String removed = DesiredStateEditor.removeBuild(before, "b");
        reparse(removed);
        assertCommentsKept(before, removed, "# second");
    }
}
