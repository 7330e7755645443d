package dev.regent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.regent.fs.HostFiles;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import picocli.CommandLine;

/** -o json and -o yaml of status, plan, history and events: the same tree, whichever YAML reader reads it. */
class OutputFormatsTest {
    /** Strings a YAML 1.1 reader would take for something else when left unquoted. */
    private static final List<String> TRICKY = List.of("1234567", "0x1F", "1e3", "1_000", "12:30", "0o17", ".inf",
            "yes", "on", "No", "null", "~", "", "2024-01-01T00:00:00Z", "2024-01-01", "a: b # c", "- item",
            "'quoted'", "two\nlines", "*x", "&y", "!tag", "%percent", "@at", "`tick`", " padded ");

    @TempDir
    Path root;

    private record Run(int exit, String out) {
    }

    private static Run run(Callable<Integer> command, String... args) {
        StringWriter out = new StringWriter();
        int exit = new CommandLine(command).setOut(new PrintWriter(out)).setErr(new PrintWriter(new StringWriter()))
                .execute(args);
        return new Run(exit, out.toString());
    }

    private static JsonNode json(String text) throws Exception {
        return HostFiles.JSON.readTree(text);
    }

    /** The YAML read twice: by Jackson, and by snakeyaml's YAML 1.1 resolver as a script or PyYAML would. */
    private static List<JsonNode> yaml(String text) throws Exception {
        Object plain = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
        return List.of(OutputOption.YAML.readTree(text), HostFiles.JSON.valueToTree(plain));
    }

    private void assertSameTree(Callable<Integer> jsonCommand, Callable<Integer> yamlCommand, String... args)
            throws Exception {
        Run asJson = run(jsonCommand, withOutput(args, "json"));
        Run asYaml = run(yamlCommand, withOutput(args, "yaml"));

        assertThat(asYaml.exit()).isEqualTo(asJson.exit());
        assertThat(asYaml.out()).isNotEqualTo(asJson.out()).doesNotStartWith("{").doesNotStartWith("[");
        JsonNode expected = json(asJson.out());
        assertThat(yaml(asYaml.out())).allSatisfy(tree -> assertThat(tree).isEqualTo(expected));
    }

    private static String[] withOutput(String[] args, String format) {
        var all = new ArrayList<>(List.of(args));
        all.addAll(List.of("-o", format));
        return all.toArray(String[]::new);
    }

    @BeforeEach
    void journal() throws Exception {
        var lines = new StringBuilder();
        Instant at = Instant.parse("2024-05-01T10:00:00Z");
        for (int i = 0; i < TRICKY.size(); i++) {
            String value = TRICKY.get(i);
            String kind = List.of("action", "reconcile", "drift").get(i % 3);
            var entry = new LinkedHashMap<String, Object>();
            entry.put("at", at.plusSeconds(i).toString());
            entry.put("kind", kind);
            entry.put("revision", value);
            entry.put("action", kind.equals("reconcile") ? "" : "make build a live");
            entry.put("build", "a");
            entry.put("outcome", i % 2 == 0 ? "done" : "failed");
            entry.put("millis", 1500 * i);
            entry.put("detail", value);
            lines.append(HostFiles.JSON.copy().disable(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(entry)).append('\n');
        }
        Files.createDirectories(root.resolve("deploy/run"));
        Files.writeString(root.resolve("deploy/run/journal.jsonl"), lines);
        var history = new dev.regent.history.PromotionHistory(new dev.regent.fs.HostLayout(root), revision -> Optional.empty());
        for (int i = 0; i < TRICKY.size(); i++) {
            history.told(new dev.regent.events.PromotionEvent(i % 2 == 0 ? dev.regent.events.PromotionEvent.Kind.SUCCEEDED
                    : dev.regent.events.PromotionEvent.Kind.FAILED, at.plusSeconds(i), TRICKY.get(i),
                    i % 3 == 0 ? Optional.of(TRICKY.get(i)) : Optional.empty(), Optional.of("a"), Optional.of("b"), "git",
                    Optional.of(java.time.Duration.ofMillis(812)), TRICKY.get(i)));
        }
        Files.writeString(root.resolve("deploy/run/gitops.json"), HostFiles.JSON.writeValueAsString(Map.of(
                "source", "https://example.invalid/app.git", "branch", "on", "applied", "1234567",
                "attempted", "0x1F", "reason", "yes", "lastFetch", "2024-05-01T10:00:00Z")));
        Files.writeString(root.resolve("desired-state.yaml"), "apiVersion: regent/v1\nkind: [Host\n");
    }

    private String[] rootArgs() {
        return new String[] {"--root", root.toString(), "-f", root.resolve("desired-state.yaml").toString()};
    }

    @Test
    void historyAsYamlIsTheSameTreeAsJson() throws Exception {
        assertSameTree(new HistoryCommand(), new HistoryCommand(), withLines(actions(), "100"));

        JsonNode history = json(run(new HistoryCommand(), withOutput(withLines(actions(), "100"), "json")).out());
        assertThat(history).hasSize(TRICKY.size());
        assertThat(history.get(0).path("revision").isTextual()).isTrue();
    }

    @Test
    void promotionHistoryAsYamlIsTheSameTreeAsJson() throws Exception {
        assertSameTree(new HistoryCommand(), new HistoryCommand(), withLines(rootArgs(), "100"));

        JsonNode history = json(run(new HistoryCommand(), withOutput(withLines(rootArgs(), "5"), "json")).out());
        assertThat(history.path("entries")).hasSize(5);
        JsonNode last = history.path("entries").get(4);
        assertThat(last.path("revision").asText()).isEqualTo(TRICKY.get(TRICKY.size() - 1));
        assertThat(last.path("signer").isNull()).isTrue();
        assertThat(last.path("durationMillis").asLong()).isEqualTo(812);
        assertThat(last.path("result").asText()).isEqualTo("failed");
    }

    @Test
    void promotionHistoryTextIsOneLinePerPromotionNewestLast() {
        Run text = run(new HistoryCommand(), withLines(rootArgs(), "2"));

        assertThat(text.out().lines().toList()).hasSize(2);
        assertThat(text.out().lines().toList().get(1)).startsWith("2024-05-01T10:00:" + (TRICKY.size() - 1) + "Z  failed")
                .contains(" a -> b ", " git ", "0.8s");
    }

    private String[] actions() {
        var all = new ArrayList<>(List.of(rootArgs()));
        all.add("--actions");
        return all.toArray(String[]::new);
    }

    @Test
    void eventsAsYamlAreTheSameTreeAsJson() throws Exception {
        assertSameTree(new EventsCommand(), new EventsCommand(), withLines(rootArgs(), "100"));
    }

    @Test
    void statusOfARejectedFileAsYamlIsTheSameTreeAsJson() throws Exception {
        assertSameTree(new StatusCommand(), new StatusCommand(), rootArgs());

        JsonNode status = json(run(new StatusCommand(), withOutput(rootArgs(), "json")).out());
        assertThat(status.path("sync").path("applied").asText()).isEqualTo("1234567");
    }

    @Test
    void planOfARejectedFileAsYamlIsTheSameTreeAsJson() throws Exception {
        assertSameTree(new PlanCommand(), new PlanCommand(), rootArgs());

        Run plan = run(new PlanCommand(), withOutput(rootArgs(), "yaml"));
        assertThat(plan.exit()).isEqualTo(2);
        assertThat(yaml(plan.out()).get(0).path("errors").get(0).asText()).contains("desired-state.yaml:2:");
    }

    @Test
    void anyValueRendersAsYamlThatReadsBackAsItsJson() throws Exception {
        var data = new LinkedHashMap<String, Object>();
        data.put("present", Optional.of("1e3"));
        data.put("absent", Optional.empty());
        data.put("at", Instant.parse("2024-05-01T10:00:00Z"));
        data.put("count", 3L);
        data.put("ok", true);
        data.put("values", TRICKY);
        data.put("yes", Map.of("on", List.of(Map.of("12:30", "0x1F"))));

        JsonNode expected = json(OutputOption.render(OutputOption.Format.JSON, data));

        assertThat(yaml(OutputOption.render(OutputOption.Format.YAML, data)))
                .allSatisfy(tree -> assertThat(tree).isEqualTo(expected));
    }

    @Test
    void textStaysTheDefaultAndTableStillMeansText() {
        Run byDefault = run(new HistoryCommand(), actions());
        Run table = run(new HistoryCommand(), withOutput(actions(), "table"));

        assertThat(byDefault.exit()).isZero();
        assertThat(byDefault.out()).contains("2024-05-01T10:00:00Z  1234567").isEqualTo(table.out());
        assertThat(run(new HistoryCommand(), withOutput(rootArgs(), "xml")).exit()).isEqualTo(2);
    }

    private static String[] withLines(String[] args, String lines) {
        var all = new ArrayList<>(List.of(args));
        all.addAll(List.of("-n", lines));
        return all.toArray(String[]::new);
    }
}
