package dev.regent.e2e;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The bad-input corpus: src/test/resources/bad-inputs/*.yaml, plus the inputs that cannot be
 * stored literally (generated here), each with the rejection it must get, from expectations.tsv.
 */
public final class BadInputs {
    /** {@code field} is empty when the problem is the file itself and the message names no field. */
    public record Entry(String name, int line, String field, String fragment, boolean generated) {
    }

    private static final String DIR = "/bad-inputs/";
    private static final String HEADER = """
            apiVersion: regent/v1
            kind: Host
            metadata:
              name: PROJECT
            spec:
              source: {repo: ., path: examples/app}
            """;
    private static final String BUILDS = "  builds:\n    a: {ref: HEAD}\n    b: {ref: HEAD}\n";
    private static final String ROLES = "  live: a\n  stage: b\n";
    private static final Map<String, Supplier<byte[]>> GENERATED = Map.of(
            "57-ten-megabytes.yaml", BadInputs::tenMegabytes,
            "58-latin1-byte.yaml", () -> latin1(HEADER + "  builds:\n    a: {ref: HEAD}\n    b: {ref: caf\u00e9}\n" + ROLES),
            "59-nul-byte.yaml", () -> utf8(HEADER + BUILDS + "  live: a\u0000\n  stage: b\n"),
            "60-bom-inside-value.yaml", () -> utf8(HEADER + BUILDS + "  live: \ufeffa\n  stage: b\n"),
            "61-utf16-file.yaml", () -> ("\ufeff" + HEADER + BUILDS + ROLES).getBytes(StandardCharsets.UTF_16LE),
            "63-scalar-alias-bomb.yaml", () -> utf8(HEADER + BUILDS + ROLES + "  steps:\n    - name: venv\n      run: [python3, &x "
                    + "x".repeat(20_000) + ", *x".repeat(60) + "]\n"),
            "64-half-a-million-list-items.yaml", () -> utf8(HEADER + BUILDS + ROLES + "  steps:\n    - name: venv\n"
                    + "      run: [python3" + ",a".repeat(500_000) + "]\n"),
            "65-twenty-thousand-empty-windows.yaml", () -> utf8(HEADER + BUILDS + ROLES + "  syncWindows: ["
                    + "{}, ".repeat(19_950) + "{}]\n"));

    private BadInputs() {
    }

    public static List<Entry> entries() {
        List<Entry> entries = new ArrayList<>();
        for (String row : new String(resource("expectations.tsv"), StandardCharsets.UTF_8).split("\n")) {
            if (row.isBlank() || row.startsWith("#")) {
                continue;
            }
            String[] cells = row.split("\t");
            boolean generated = cells.length > 4 && cells[4].equals("generated");
            entries.add(new Entry(cells[0], Integer.parseInt(cells[1]), cells[2].equals("-") ? "" : cells[2], cells[3],
                    generated));
        }
        return entries;
    }

    /** The file's bytes with PROJECT replaced by {@code project}; every other byte is kept as is. */
    public static byte[] bytes(Entry entry, String project) {
        byte[] raw = entry.generated() ? generated(entry.name()) : resource(entry.name());
        return new String(raw, StandardCharsets.ISO_8859_1).replace("PROJECT", project)
                .getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The names of the corpus files stored under bad-inputs/, so a test can check each has a row. */
    public static List<String> storedNames() {
        try (Stream<Path> files = Files.list(Path.of(BadInputs.class.getResource(DIR).toURI()))) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".yaml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] generated(String name) {
        Supplier<byte[]> generator = GENERATED.get(name);
        if (generator == null) {
            throw new IllegalArgumentException("no generator for " + name);
        }
        return generator.get();
    }

    /** A valid file followed by 10 MiB of comment lines: size alone must reject it. */
    private static byte[] tenMegabytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(10 * 1024 * 1024 + 4096);
        out.writeBytes(utf8(HEADER + BUILDS + ROLES));
        byte[] line = utf8("# padding padding padding padding padding padding padding padding padding padding\n");
        while (out.size() < 10 * 1024 * 1024) {
            out.writeBytes(line);
        }
        return out.toByteArray();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] latin1(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] resource(String name) {
        try (InputStream in = BadInputs.class.getResourceAsStream(DIR + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no corpus file " + DIR + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
