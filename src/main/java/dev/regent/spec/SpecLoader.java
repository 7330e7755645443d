package dev.regent.spec;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Reads desired-state.yaml (format regent/v1). Never throws for bad content: every problem comes
 * back as a {@link SpecError} naming file, line, column and field.
 *
 * <p>{@code load}/{@code parse} read the state a host applies: a fleet file (kind: Fleet) needs the
 * host's name and rejects any other, a host file rejects a name (see {@link HostSelection}); without
 * a name, a fleet file is refused, so no caller applies one to a host it does not know.
 * {@code loadWholeFile}/{@code parseWholeFile} check the file itself, of either kind, for no host:
 * for validating it and for edits that rewrite it.
 */
public final class SpecLoader {
    /** The steps used when spec.steps is absent. */
    public static final List<Step> DEFAULT_STEPS = List.of(
            new Step("collectstatic", List.of("venv/bin/python", "app/manage.py", "collectstatic", "--noinput")));

    /** UTF-8 needs at most 4 bytes a character, so larger files cannot be within the character limit. */
    private static final long MAX_BYTES = 4L * SafeYaml.MAX_CODE_POINTS;

    private SpecLoader() {
    }

    public static LoadResult load(Path file) {
        return load(file, Optional.empty());
    }

    public static LoadResult load(Path file, Optional<String> host) {
        return HostSelection.select(loadWholeFile(file), host);
    }

    public static LoadResult parse(Path fileForMessages, String text) {
        return parse(fileForMessages, text, Optional.empty());
    }

    public static LoadResult parse(Path fileForMessages, String text, Optional<String> host) {
        return HostSelection.select(parseWholeFile(fileForMessages, text), host);
    }

    public static LoadResult loadWholeFile(Path file) {
        try {
            long size = Files.size(file);
            if (size > MAX_BYTES) {
                return new LoadResult.Invalid(SafeYaml.tooLarge(file, size + " bytes").errors());
            }
            return decode(file, Files.readAllBytes(file));
        } catch (IOException e) {
            return new LoadResult.Invalid(List.of(new SpecError(file, 1, 1, "",
                    "cannot read the file: " + e.getClass().getSimpleName() + ": " + e.getMessage())));
        }
    }

    public static LoadResult parseWholeFile(Path fileForMessages, String text) {
        SafeYaml.Result composed = SafeYaml.compose(fileForMessages, text);
        if (composed instanceof SafeYaml.Failed failed) {
            return new LoadResult.Invalid(failed.errors());
        }
        return SpecValidator.validate(fileForMessages, ((SafeYaml.Composed) composed).root());
    }

    /** Strict UTF-8: a bad byte is reported at its line and column rather than turned into U+FFFD. */
    static LoadResult decode(Path file, byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            out.flip();
            String before = out.toString();
            int line = 1 + (int) before.chars().filter(c -> c == '\n').count();
            int column = before.codePointCount(before.lastIndexOf('\n') + 1, before.length()) + 1;
            return new LoadResult.Invalid(List.of(new SpecError(file, line, column, "", String.format(
                    "the file is not valid UTF-8 (byte 0x%02X at byte offset %d); save it as UTF-8",
                    bytes[in.position()] & 0xff, in.position()))));
        }
        out.flip();
        return parseWholeFile(file, out.toString());
    }
}
