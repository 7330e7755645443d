package dev.regent.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.dataformat.yaml.util.StringQuotingChecker;
import dev.regent.fs.HostFiles;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Locale;
import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.resolver.Resolver;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * kubectl-style {@code -o/--output}: the human text by default, or the command's data as JSON or
 * YAML. JSON and YAML carry the same tree; YAML leaves a string unquoted only where no YAML reader
 * could take it for anything else.
 */
final class OutputOption {
    enum Format { TEXT, JSON, YAML }

    /** Configured by {@link HostFiles#withRegentTypes}, as {@link HostFiles#JSON} is, so both formats write the same values. */
    static final ObjectMapper YAML = HostFiles.withRegentTypes(YAMLMapper.builder(YAMLFactory.builder()
                    .stringQuotingChecker(new PlainOnlyAsText()).build())
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .build());

    /**
     * Quotes a string whenever a YAML 1.1 reader (PyYAML, snakeyaml) would resolve it, unquoted, to
     * anything but a string: numbers in any notation, booleans such as yes/on, null, timestamps,
     * sexagesimal numbers like 1:30. Jackson's own checker leaves timestamps and some numbers plain.
     */
    private static final class PlainOnlyAsText extends StringQuotingChecker.Default {
        private static final Resolver RESOLVER = new Resolver();

        @Override
        public boolean needToQuoteValue(String value) {
            return super.needToQuoteValue(value) || !Tag.STR.equals(RESOLVER.resolve(NodeId.scalar, value, true));
        }

        @Override
        public boolean needToQuoteName(String name) {
            return super.needToQuoteName(name) || !Tag.STR.equals(RESOLVER.resolve(NodeId.scalar, name, true));
        }
    }

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = {"-o", "--output"}, defaultValue = "text", converter = FormatConverter.class, paramLabel = "FORMAT",
            description = "text (also: table), json or yaml (default: ${DEFAULT-VALUE}).")
    Format format = Format.TEXT;

    boolean text() {
        return format == Format.TEXT;
    }

    PrintWriter out() {
        return command.commandLine().getOut();
    }

    /** Prints {@code data} in the chosen machine format; text is each command's own. */
    void print(Object data) {
        PrintWriter out = out();
        out.print(render(format, data));
        out.flush();
    }

    static String render(Format format, Object data) {
        try {
            return switch (format) {
                case JSON -> HostFiles.JSON.writeValueAsString(data) + "\n";
                case YAML -> YAML.writeValueAsString(data);
                case TEXT -> throw new IllegalArgumentException("text output is written by each command");
            };
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    static final class FormatConverter implements ITypeConverter<Format> {
        @Override
        public Format convert(String value) {
            return switch (value.toLowerCase(Locale.ROOT)) {
                case "text", "table" -> Format.TEXT;
                case "json" -> Format.JSON;
                case "yaml", "yml" -> Format.YAML;
                default -> throw new TypeConversionException("expected text, json or yaml, not \"" + value + "\"");
            };
        }
    }
}
