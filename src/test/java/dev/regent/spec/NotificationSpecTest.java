package dev.regent.spec;

import static dev.regent.spec.Fixtures.errorFor;
import static dev.regent.spec.Fixtures.errorsOf;
import static dev.regent.spec.SpecTexts.parse;
import static dev.regent.spec.SpecTexts.valid;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** spec.notifications: receivers read with their secret files, every rejected value named by field and line. */
class NotificationSpecTest {
    private static final String HEADER = SpecTexts.ONE_BUILD_HOST + "  notifications:\n";

    private static List<SpecError> errors(String notifications) {
        return errorsOf(parse(HEADER + notifications));
    }

    @Test
    void everyKindIsRead() {
        DesiredState state = valid(HEADER + """
                    - name: ci
                      kind: webhook
                      urlFile: deploy/secrets/ci-url
                      secretFile: deploy/secrets/ci-hmac
                    - {name: team-chat, kind: slack, urlFile: deploy/secrets/slack-url}
                    - {name: github, kind: github, urlFile: deploy/secrets/gh/url, secretFile: deploy/secrets/gh/token}
                """);

        assertThat(state.notifications()).containsExactly(
                new NotificationSpec("ci", NotificationSpec.Kind.WEBHOOK, "deploy/secrets/ci-url",
                        Optional.of("deploy/secrets/ci-hmac")),
                new NotificationSpec("team-chat", NotificationSpec.Kind.SLACK, "deploy/secrets/slack-url", Optional.empty()),
                new NotificationSpec("github", NotificationSpec.Kind.GITHUB, "deploy/secrets/gh/url",
                        Optional.of("deploy/secrets/gh/token")));
        assertThat(state.lineOf("spec.notifications[0].secretFile")).isEqualTo(12);
    }

    @Test
    void absentOrEmptyMeansNoReceivers() {
        assertThat(valid(HEADER).notifications()).isEmpty();
        assertThat(valid(HEADER.replace("  notifications:\n", "")).notifications()).isEmpty();
        assertThat(valid(HEADER.replace("  notifications:\n", "  notifications: []\n")).notifications()).isEmpty();
    }

    @Test
    void secretsMustBeFilesUnderDeploySecrets() {
        for (String bad : List.of("https://hooks.slack.com/services/T0/B0/x", "/etc/slack-url", "deploy/secrets/../x",
                "secrets/url", "deploy/secrets/", "deploy/secrets//x", "deploy/run/url", "\"\"", "~", "[a]")) {
            List<SpecError> errors = errors("    - {name: chat, kind: slack, urlFile: " + bad + "}\n");

            SpecError error = errorFor(errors, "spec.notifications[0].urlFile");
            assertThat(error.line()).as(bad).isEqualTo(9);
        }
        assertThat(errorFor(errors("    - {name: chat, kind: slack, urlFile: https://hooks.slack.com/x}\n"),
                "spec.notifications[0].urlFile").message()).contains("deploy/secrets/");
        SpecError secret = errorFor(errors("""
                    - name: ci
                      kind: webhook
                      urlFile: deploy/secrets/url
                      secretFile: s3cret-value
                """), "spec.notifications[0].secretFile");
        assertThat(secret.line()).isEqualTo(12);
        assertThat(secret.message()).contains("deploy/secrets/");
    }

    @Test
    void kindNameAndSecretRulesAreReportedAtTheirLine() {
        assertThat(errorFor(errors("    - {name: x, kind: teams, urlFile: deploy/secrets/u}\n"),
                "spec.notifications[0].kind").message()).contains("webhook, slack or github");
        assertThat(errorFor(errors("    - {name: Chat_1, kind: slack, urlFile: deploy/secrets/u}\n"),
                "spec.notifications[0].name").line()).isEqualTo(9);
        assertThat(errorFor(errors("    - {kind: slack, urlFile: deploy/secrets/u}\n"),
                "spec.notifications[0]").message()).contains("\"name\"");
        assertThat(errorFor(errors("    - {name: ci, kind: webhook, urlFile: deploy/secrets/u}\n"),
                "spec.notifications[0]").message()).contains("secretFile");
        assertThat(errorFor(errors("    - {name: gh, kind: github, urlFile: deploy/secrets/u}\n"),
                "spec.notifications[0]").message()).contains("secretFile");
        assertThat(errorFor(errors("    - {name: c, kind: slack, urlFile: deploy/secrets/u, secretFile: deploy/secrets/s}\n"),
                "spec.notifications[0].secretFile").message()).contains("takes no secretFile");
        assertThat(errorFor(errors("    - {name: c, kind: slack, url: deploy/secrets/u}\n"),
                "spec.notifications[0].url").message()).contains("unknown field", "urlFile");
        SpecError twice = errorFor(errors("""
                    - {name: c, kind: slack, urlFile: deploy/secrets/u}
                    - {name: c, kind: slack, urlFile: deploy/secrets/v}
                """), "spec.notifications[1].name");
        assertThat(twice.line()).isEqualTo(10);
        assertThat(twice.message()).contains("first at line 9");
        assertThat(errorFor(errors("    name: c\n"), "spec.notifications").message()).contains("must be a list");
    }
}
