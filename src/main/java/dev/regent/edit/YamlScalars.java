package dev.regent.edit;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.resolver.Resolver;

/** Writes a string so every YAML reader (1.1 or 1.2, block or flow context) reads it back as that string. */
final class YamlScalars {
    private static final Pattern SAFE_PLAIN = Pattern.compile("[A-Za-z_/][A-Za-z0-9._/^~-]*");
    /** YAML 1.1 booleans and nulls beyond what snakeyaml's resolver already flags. */
    private static final Set<String> AMBIGUOUS = Set.of("y", "n", "yes", "no", "on", "off", "true", "false",
            "null", "~");
    private static final Resolver RESOLVER = new Resolver();

    private YamlScalars() {
    }

    static String format(String value) {
        boolean plain = SAFE_PLAIN.matcher(value).matches()
                && !AMBIGUOUS.contains(value.toLowerCase(Locale.ROOT))
                && Tag.STR.equals(RESOLVER.resolve(NodeId.scalar, value, true));
        return plain ? value : quote(value);
    }

    private static String quote(String value) {
        StringBuilder out = new StringBuilder("\"");
        value.codePoints().forEach(c -> {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        out.append(String.format("\\x%02X", c));
                    } else {
                        out.appendCodePoint(c);
                    }
                }
            }
        });
        return out.append('"').toString();
    }
}
