package dev.regent.spec;

import static dev.regent.spec.Fixtures.errorFor;
import static dev.regent.spec.Fixtures.errors;
import static dev.regent.spec.Fixtures.errorsOf;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpecRejectionTest {
    private static final String HEADER = """
            apiVersion: regent/v1
            kind: Host
            metadata: {name: demo}
            spec:
              source: {repo: ., path: app}
            """;

    private static void assertAt(SpecError error, String file, int line, String field) {
        assertThat(error.file().getFileName()).hasToString(file);
        assertThat(error.line()).isEqualTo(line);
        assertThat(error.field()).isEqualTo(field);
        assertThat(error.toString()).contains(file + ":" + line + ":" + error.column() + ": ");
        if (!field.isEmpty()) {
            assertThat(error.toString()).contains(": " + field + ": ");
        }
    }

    private static List<SpecError> parseErrors(String text) {
        return errorsOf(SpecLoader.parse(Path.of("desired-state.yaml"), text));
    }

    @Test
    void invalidYamlSyntaxNamesTheLine() {
        List<SpecError> errors = errors("syntax-error.yaml");

        assertThat(errors).hasSize(1);
        assertAt(errors.get(0), "syntax-error.yaml", 7, "spec.source");
        assertThat(errors.get(0).message()).startsWith("invalid YAML: ").contains("flow mapping")
                .contains("line 6");
    }

    @Test
    void aSyntaxErrorNamesTheFieldTheParserWasIn() {
        List<SpecError> indented = parseErrors(HEADER + "  builds:\n    a: {ref: HEAD}\n   b: {ref: HEAD}\n");
        List<SpecError> tab = parseErrors(HEADER + "  builds:\n\ta: {ref: HEAD}\n");
        List<SpecError> list = parseErrors(HEADER + "  steps:\n    - {name: venv, run: [python3, -V}\n");

        assertAt(indented.get(0), "desired-state.yaml", 8, "spec");
        assertAt(tab.get(0), "desired-state.yaml", 7, "spec.builds");
        assertAt(list.get(0), "desired-state.yaml", 7, "spec.steps[0].run");
        assertThat(list.get(0).message()).startsWith("invalid YAML: ");
    }

    @Test
    void aQuoteLeftOpenIsShownWhereItOpens() {
        List<SpecError> errors = parseErrors(HEADER + "  live: \"a\n  stage: b\n");

        assertThat(errors).hasSize(1);
        assertAt(errors.get(0), "desired-state.yaml", 6, "spec.live");
        assertThat(errors.get(0).column()).isEqualTo(9);
        assertThat(errors.get(0).message()).contains("end of stream").contains("quoted scalar that starts at line 6");
    }

    @Test
    void unknownFieldsAreErrorsWithSuggestions() {
        List<SpecError> errors = errors("unknown-field.yaml");

        assertThat(errors).hasSize(2);
        SpecError actve = errorFor(errors, "spec.builds.a.actve");
        assertAt(actve, "unknown-field.yaml", 10, "spec.builds.a.actve");
        assertThat(actve.column()).isEqualTo(20);
        assertThat(actve.message()).contains("unknown field \"actve\"").contains("did you mean \"active\"?");
        SpecError liv = errorFor(errors, "spec.liv");
        assertAt(liv, "unknown-field.yaml", 11, "spec.liv");
        assertThat(liv.message()).contains("did you mean \"live\"?");
    }

    @Test
    void liveAndStageMustDiffer() {
        List<SpecError> errors = errors("live-equals-stage.yaml");

        assertThat(errors).hasSize(1);
        assertAt(errors.get(0), "live-equals-stage.yaml", 11, "spec.stage");
        assertThat(errors.get(0).message()).isEqualTo("live and stage both name build \"a\"; they must differ");
    }

    @Test
    void liveMustNameAListedBuild() {
        List<SpecError> errors = errors("live-unlisted.yaml");

        assertThat(errors).hasSize(1);
        assertAt(errors.get(0), "live-unlisted.yaml", 10, "spec.live");
        assertThat(errors.get(0).toString()).endsWith(
                "live-unlisted.yaml:10:9: spec.live: live names build \"x\", which is not listed in spec.builds");
    }

    @Test
    void stageMustNameAnActiveBuild() {
        List<SpecError> errors = errors("live-inactive.yaml");

        assertThat(errors).hasSize(1);
        assertAt(errors.get(0), "live-inactive.yaml", 11, "spec.stage");
        assertThat(errors.get(0).message()).contains("\"b\"").contains("inactive");
    }

    @Test
    void liveMustNameAnActiveBuild() {
        List<SpecError> errors = parseErrors(HEADER + "  builds: {a: {ref: HEAD, active: false}}\n  live: a\n");

        assertAt(errors.get(0), "desired-state.yaml", 7, "spec.live");
        assertThat(errors.get(0).message()).contains("inactive");
    }

    @Test
    void buildNamesMustBeShortLowercaseWords() {
        List<SpecError> errors = errors("bad-names.yaml");

        assertThat(errors).extracting(SpecError::field).containsExactly("spec.builds.../x", "spec.builds._live",
                "spec.builds.A", "spec.builds.a/b", "spec.builds..a", "spec.builds.zzz");
        assertThat(errors).extracting(SpecError::line).containsExactly(8, 9, 10, 11, 12, 13);
        for (SpecError error : errors.subList(0, 5)) {
            assertThat(error.message()).contains("lowercase letters only").contains("glob");
            assertAt(error, "bad-names.yaml", error.line(), error.field());
        }
        assertThat(errors.get(5).message()).contains("port 184770").contains("65535");
    }

    @Test
    void wrongTypesAreReportedWhereTheyOccur() {
        List<SpecError> errors = errors("wrong-types.yaml");

        assertAt(errorFor(errors, "spec.source.path"), "wrong-types.yaml", 8, "spec.source.path");
        assertThat(errorFor(errors, "spec.source.path").message()).isEqualTo("must be a string, not a list");
        assertAt(errorFor(errors, "spec.builds.a.active"), "wrong-types.yaml", 12, "spec.builds.a.active");
        assertThat(errorFor(errors, "spec.builds.a.active").message()).contains("true or false")
                .contains("\"yes please\"");
        assertAt(errorFor(errors, "spec.builds.b.ref"), "wrong-types.yaml", 13, "spec.builds.b.ref");
        assertThat(errorFor(errors, "spec.builds.b.ref").message()).contains("mapping");
        assertAt(errorFor(errors, "spec.builds.c"), "wrong-types.yaml", 14, "spec.builds.c");
        assertAt(errorFor(errors, "spec.builds.d.active"), "wrong-types.yaml", 15, "spec.builds.d.active");
        assertAt(errorFor(errors, "spec.steps[0].run"), "wrong-types.yaml", 18, "spec.steps[0].run");
        assertThat(errors).extracting(SpecError::field).doesNotContain("spec.builds.a.ref");
        assertThat(errors).hasSize(6);
    }

    @Test
    void buildsMustBeAMapping() {
        List<SpecError> errors = errors("builds-list.yaml");

        assertThat(errors).hasSize(1);
        assertAt(errors.get(0), "builds-list.yaml", 8, "spec.builds");
        assertThat(errors.get(0).message()).contains("must be a mapping").contains("not a list");
    }

    @Test
    void badValuesAreAllReportedAtOnce() {
        List<SpecError> errors = errors("bad-values.yaml");

        assertAt(errorFor(errors, "apiVersion"), "bad-values.yaml", 1, "apiVersion");
        assertThat(errorFor(errors, "apiVersion").message()).contains("regent/v2").contains("regent/v1");
        assertAt(errorFor(errors, "metadata.name"), "bad-values.yaml", 4, "metadata.name");
        assertThat(errorFor(errors, "spec.source.path").message()).contains("relative");
        assertThat(errorFor(errors, "spec.source.settings").message()).contains("Python module");
        assertThat(errorFor(errors, "spec.source.healthPath").message()).contains("must start with /");
        assertAt(errorFor(errors, "spec.builds.a.ref"), "bad-values.yaml", 12, "spec.builds.a.ref");
        assertThat(errorFor(errors, "spec.builds.a.ref").message()).contains("must not start with -");
        assertThat(errorFor(errors, "spec.builds.b.ref").message()).contains("may only contain");
        assertThat(errorFor(errors, "spec.builds.c.ref").message()).contains("..");
        assertThat(errorFor(errors, "spec.builds.d.ref").message()).contains("must not be empty");
        assertAt(errorFor(errors, "spec.builds.e.path"), "bad-values.yaml", 16, "spec.builds.e.path");
        assertThat(errorFor(errors, "spec.builds.e.path").message()).contains("must not contain ..");
        assertThat(errorFor(errors, "spec.builds.f.path").message()).contains("not normalized");
        assertAt(errorFor(errors, "spec.steps[1].name"), "bad-values.yaml", 20, "spec.steps[1].name");
        assertThat(errorFor(errors, "spec.steps[1].name").message()).contains("duplicate step name \"venv\"")
                .contains("line 19");
        assertThat(errorFor(errors, "spec.steps[1].run").message()).contains("program");
        assertThat(errorFor(errors, "spec.steps[2].name").message()).contains("a-z, 0-9 and -");
        assertThat(errors).hasSize(14);
        assertThat(errors).isSortedAccordingTo((x, y) -> Integer.compare(x.line(), y.line()));
    }

    @Test
    void missingRequiredFieldsAreNamed() {
        List<SpecError> errors = parseErrors("""
                apiVersion: regent/v1
                kind: Host
                metadata: {}
                spec:
                  source: {repo: .}
                  builds:
                    a: {active: true}
                """);

        assertThat(errors).extracting(SpecError::field)
                .containsExactly("metadata", "spec.source", "spec.builds.a");
        assertThat(errors).extracting(SpecError::message).containsExactly("missing required field \"name\"",
                "missing required field \"path\"", "missing required field \"ref\"");
        assertThat(errors).extracting(SpecError::line).containsExactly(3, 5, 7);
    }

    @Test
    void duplicateKeysAreErrors() {
        List<SpecError> errors = parseErrors(HEADER + "  builds:\n    a: {ref: HEAD}\n    a: {ref: main}\n");

        assertThat(errors).hasSize(1);
        assertAt(errors.get(0), "desired-state.yaml", 8, "spec.builds.a");
        assertThat(errors.get(0).message()).contains("duplicate key").contains("line 7");
    }

    @Test
    void aliasBombIsRejectedCleanly() {
        List<SpecError> errors = errors("alias-bomb.yaml");

        assertThat(errors).hasSize(1);
        assertAt(errors.get(0), "alias-bomb.yaml", 10, "x4");
        assertThat(errors.get(0).message()).contains("too many aliases").contains("20");
    }

    @Test
    void aliasesToTextMayNotExpandBeyondWhatAFileMayHold() {
        String anchor = "x".repeat(SafeYaml.MAX_CODE_POINTS / 4);
        String text = HEADER + "  steps:\n    - name: venv\n      run: [python3, &x " + anchor + ", *x".repeat(5) + "]\n";

        List<SpecError> errors = parseErrors(text);

        assertThat(errors).hasSize(1);
        assertAt(errors.get(0), "desired-state.yaml", 8, "spec.steps[0].run");
        assertThat(errors.get(0).message()).contains("expand to more than").contains("alias bombs");
        assertThat(SpecLoader.parse(Path.of("desired-state.yaml"), text.replace(", *x]", "]")))
                .isInstanceOf(LoadResult.Valid.class);
    }

    @Test
    void aFileOfManyTinyValuesIsStoppedBeforeItFillsTheHeap() {
        String items = ", a".repeat(SafeYaml.MAX_VALUES);

        List<SpecError> errors = parseErrors(HEADER + "  steps:\n    - name: venv\n      run: [python3" + items + "]\n");

        assertThat(errors).hasSize(1);
        assertAt(errors.get(0), "desired-state.yaml", 8, "spec.steps[0].run");
        assertThat(errors.get(0).message()).contains("more than " + SafeYaml.MAX_VALUES + " values");
    }

    @Test
    void aFewAliasesAreStillReadButUnknownKeysAreNot() {
        List<SpecError> errors = parseErrors(HEADER + "  builds: &b {a: {ref: HEAD}}\nextra: *b\n");

        assertThat(errors).hasSize(1);
        assertAt(errors.get(0), "desired-state.yaml", 7, "extra");
    }

    @Test
    void explicitTagsAreRejected() {
        List<SpecError> errors = errors("explicit-tag.yaml");

        assertThat(errors).hasSize(1);
        assertAt(errors.get(0), "explicit-tag.yaml", 8, "spec.builds.a");
        assertThat(errors.get(0).column()).isEqualTo(8);
        assertThat(errors.get(0).message()).contains("!!python/object/apply:os.system").contains("not allowed");
    }

    @Test
    void harmlessLookingTagsAreRejectedToo() {
        List<SpecError> errors = parseErrors(HEADER + "  builds: {a: {ref: !!str 12}, b: !!map {ref: x}}\n");

        assertThat(errors).extracting(SpecError::line).containsExactly(6, 6);
        assertThat(errors).extracting(SpecError::field).containsExactly("spec.builds.a.ref", "spec.builds.b");
        assertThat(errors).extracting(SpecError::message).allMatch(m -> m.contains("not allowed"));
    }

    @Test
    void mergeKeysAreRejected() {
        List<SpecError> errors = parseErrors(HEADER + "  builds:\n    a: {<<: {ref: x}}\n");

        assertAt(errorFor(errors, "spec.builds.a.<<"), "desired-state.yaml", 7, "spec.builds.a.<<");
        assertThat(errorFor(errors, "spec.builds.a.<<").message()).contains("merge keys");
    }

    @Test
    void aTenMegabyteFileIsRejectedWithoutReadingIt(@TempDir Path dir) throws IOException {
        Path big = dir.resolve("desired-state.yaml");
        byte[] line = "# padding padding padding padding padding padding padding padding padding\n"
                .getBytes(StandardCharsets.UTF_8);
        try (OutputStream out = Files.newOutputStream(big)) {
            out.write(HEADER.getBytes(StandardCharsets.UTF_8));
            for (long written = 0; written < 10L * 1024 * 1024; written += line.length) {
                out.write(line);
            }
        }

        List<SpecError> errors = errorsOf(SpecLoader.load(big));

        assertThat(errors).hasSize(1);
        assertAt(errors.get(0), "desired-state.yaml", 1, "");
        assertThat(errors.get(0).message()).contains("too large").contains("bytes")
                .contains(String.valueOf(SafeYaml.MAX_CODE_POINTS));
    }

    @Test
    void aFileJustOverTheCharacterLimitIsRejected(@TempDir Path dir) throws IOException {
        Path big = dir.resolve("desired-state.yaml");
        Files.writeString(big, HEADER + "#" + "x".repeat(SafeYaml.MAX_CODE_POINTS) + "\n");

        List<SpecError> errors = errorsOf(SpecLoader.load(big));

        assertThat(errors).hasSize(1);
        assertThat(errors.get(0).message()).contains("too large").contains("characters");
    }

    @Test
    void nonUtf8BytesAreReportedAtTheirPosition(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("desired-state.yaml");
        byte[] head = "apiVersion: regent/v1\nkind: Ho".getBytes(StandardCharsets.US_ASCII);
        byte[] tail = "st\n".getBytes(StandardCharsets.US_ASCII);
        byte[] bytes = new byte[head.length + 1 + tail.length];
        System.arraycopy(head, 0, bytes, 0, head.length);
        bytes[head.length] = (byte) 0xE9; // Latin-1 é
        System.arraycopy(tail, 0, bytes, head.length + 1, tail.length);
        Files.write(file, bytes);

        List<SpecError> errors = errorsOf(SpecLoader.load(file));

        assertThat(errors).hasSize(1);
        assertAt(errors.get(0), "desired-state.yaml", 2, "");
        assertThat(errors.get(0).column()).isEqualTo(9);
        assertThat(errors.get(0).message()).contains("not valid UTF-8").contains("0xE9");
    }

    @Test
    void controlCharactersAreRejected() {
        List<SpecError> errors = parseErrors(HEADER + "  live: a\u0007\n");

        assertThat(errors).hasSize(1);
        assertAt(errors.get(0), "desired-state.yaml", 6, "");
        assertThat(errors.get(0).message()).contains("U+0007");
    }

    @Test
    void aNulEscapeIsRejectedInAnyStringBecauseNoArgumentOrPathCanHoldIt() {
        List<SpecError> errors = parseErrors(HEADER + "  builds: {a: {ref: \"main\\0x\"}}\n"
                + "  steps:\n    - {name: venv, run: [python3, \"-c\\0print(1)\"]}\n");

        assertThat(errors).extracting(SpecError::field).containsExactly("spec.builds.a.ref", "spec.steps[0].run[1]");
        assertThat(errors).extracting(SpecError::line).containsExactly(6, 8);
        assertThat(errors).extracting(SpecError::message).allMatch(m -> m.contains("NUL character"));
    }

    @Test
    void aCronScheduleQuartzCannotParseNamesNoJavaClass() {
        List<SpecError> errors = parseErrors(HEADER + "  syncWindows:\n"
                + "    - {kind: deny, schedule: \"0 0 0 ? * * 99999999999\", duration: 1h}\n"
                + "    - {kind: deny, schedule: \"0 0 0 ? * SUN-\", duration: 1h}\n");

        assertThat(errors).extracting(SpecError::field)
                .containsExactly("spec.syncWindows[0].schedule", "spec.syncWindows[1].schedule");
        assertThat(errors).extracting(SpecError::message).allMatch(m -> m.contains("not a Quartz cron expression"))
                .noneMatch(m -> m.contains("java.") || m.contains("Exception"));
    }

    @Test
    void deepNestingIsRejected() {
        List<SpecError> errors = parseErrors(HEADER + "  x: " + "[".repeat(10_000) + "\n");

        assertThat(errors).hasSize(1);
        assertAt(errors.get(0), "desired-state.yaml", 6, "spec.x[0][0][0][0][0][0]...");
        assertThat(errors.get(0).message()).contains("nesting is too deep");
    }

    @Test
    void onlyOneDocumentIsAllowed() {
        List<SpecError> errors = parseErrors(HEADER + "---\nkind: Host\n");

        assertAt(errors.get(0), "desired-state.yaml", 6, "");
        assertThat(errors.get(0).message()).contains("single YAML document");
    }

    @Test
    void emptyAndNonMappingDocumentsAreRejected() {
        assertThat(parseErrors("# nothing here\n").get(0).message()).contains("empty");
        assertThat(parseErrors("- a\n- b\n").get(0).message()).contains("must be a mapping");
        assertThat(parseErrors("just a string\n").get(0).line()).isEqualTo(1);
    }

    @Test
    void manyErrorsAreCapped() {
        StringBuilder text = new StringBuilder(HEADER + "  builds:\n");
        for (int i = 0; i < 500; i++) {
            text.append("    x").append(i).append(": {ref: HEAD}\n");
        }

        List<SpecError> errors = parseErrors(text.toString());

        assertThat(errors).hasSize(NodeReader.MAX_ERRORS + 1);
        assertThat(errors.get(NodeReader.MAX_ERRORS).message()).isEqualTo("400 more errors from here on are not shown");
        assertThat(errors.get(NodeReader.MAX_ERRORS).line()).isEqualTo(7 + NodeReader.MAX_ERRORS);
    }

    @Test
    void unreadableFileIsAnErrorNotAnException(@TempDir Path dir) {
        List<SpecError> errors = errorsOf(SpecLoader.load(dir.resolve("missing.yaml")));

        assertThat(errors.get(0).message()).contains("cannot read");
    }
}
