package dev.regent.spec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads spec.notifications into receivers, each problem at its line through the shared {@link NodeReader}.
 * A receiver's URL and secret are secrets, so the desired state (often in git) only names files
 * under deploy/secrets/ holding them; a value written in place would be refused as a path.
 */
final class NotificationReader {
    static final String SECRETS = "deploy/secrets/";
    private static final String FIELD = "spec.notifications";
    private static final Set<String> KEYS = NodeReader.keys("name", "kind", "urlFile", "secretFile");
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,30}[a-z0-9])?");

    private final NodeReader in;

    NotificationReader(NodeReader in) {
        this.in = in;
    }

    List<NotificationSpec> read(NodeReader.Entry entry) {
        if (NodeReader.isNull(entry.value())) {
            return List.of();
        }
        List<Node> items = in.sequence(entry.value(), FIELD).orElseGet(List::of);
        Map<String, Node> names = new LinkedHashMap<>();
        List<NotificationSpec> receivers = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            receiver(items.get(i), FIELD + "[" + i + "]", names).ifPresent(receivers::add);
        }
        return receivers;
    }

    private Optional<NotificationSpec> receiver(Node item, String field, Map<String, Node> names) {
        Optional<Map<String, NodeReader.Entry>> found = in.mapping(item, field, Optional.of(KEYS));
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Map<String, NodeReader.Entry> f = found.get();
        in.require(f, item, field, "name", "kind", "urlFile");
        Optional<String> name = value(f, field, "name").filter(n -> checked(f.get("name").value(), field + ".name",
                nameProblem(n)));
        name.ifPresent(n -> {
            Node first = names.putIfAbsent(n, f.get("name").value());
            if (first != null) {
                in.error(f.get("name").value(), field + ".name", "receiver name \"" + n + "\" is used twice (first at line "
                        + (first.getStartMark().getLine() + 1) + ")");
            }
        });
        Optional<NotificationSpec.Kind> kind = value(f, field, "kind").flatMap(k -> kind(f.get("kind").value(), field, k));
        Optional<String> url = secretPath(f, field, "urlFile");
        Optional<String> secret = secretPath(f, field, "secretFile");
        boolean secretGiven = f.containsKey("secretFile");
        kind.ifPresent(k -> {
            if (k == NotificationSpec.Kind.SLACK && secretGiven) {
                in.error(f.get("secretFile").keyNode(), field + ".secretFile", "a slack receiver takes no secretFile:"
                        + " its incoming-webhook URL (in urlFile) is the secret");
            } else if (k != NotificationSpec.Kind.SLACK && !secretGiven) {
                in.error(item, field, "missing required field \"secretFile\": a " + k.name().toLowerCase(Locale.ROOT)
                        + " receiver needs " + (k == NotificationSpec.Kind.WEBHOOK ? "the HMAC key its notices are signed with"
                        : "the GitHub token its statuses are posted with"));
            }
        });
        if (name.isEmpty() || kind.isEmpty() || url.isEmpty() || secretGiven && secret.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new NotificationSpec(name.get(), kind.get(), url.get(), secret));
    }

    private Optional<NotificationSpec.Kind> kind(Node at, String field, String text) {
        for (NotificationSpec.Kind k : NotificationSpec.Kind.values()) {
            if (k.name().toLowerCase(Locale.ROOT).equals(text)) {
                return Optional.of(k);
            }
        }
        in.error(at, field + ".kind", "unknown receiver kind \"" + text + "\"; expected webhook, slack or github");
        return Optional.empty();
    }

    private Optional<String> secretPath(Map<String, NodeReader.Entry> f, String parent, String key) {
        String field = parent + "." + key;
        return value(f, parent, key).filter(p -> checked(f.get(key).value(), field, secretPathProblem(key, p)));
    }

    private Optional<String> value(Map<String, NodeReader.Entry> f, String parent, String key) {
        return Optional.ofNullable(f.get(key)).flatMap(e -> in.string(e.value(), parent + "." + key));
    }

    private boolean checked(Node at, String field, Optional<String> problem) {
        problem.ifPresent(p -> in.error(at, field, p));
        return problem.isEmpty();
    }

    static Optional<String> nameProblem(String name) {
        return NAME.matcher(name).matches() ? Optional.empty() : Optional.of("\"" + name + "\" is not a receiver name:"
                + " use 1 to 32 lowercase letters, digits and - (not first or last), e.g. team-chat");
    }

    /** A file under deploy/secrets/ (git-ignored with deploy/), by the project-file rules other readers use. */
    static Optional<String> secretPathProblem(String key, String path) {
        if (path.contains("://")) {
            return Optional.of(key + " must name a file under " + SECRETS + " holding the value, not the value itself:"
                    + " a URL in the desired state would end up in git");
        }
        if (!path.startsWith(SECRETS) || path.length() == SECRETS.length()) {
            return Optional.of(key + " \"" + path + "\" must name a file under " + SECRETS + " (the value is a secret: "
                    + "keep it out of the desired state and out of git)");
        }
        return SiteRules.projectFileProblem(key, path);
    }
}
