package dev.regent.spec;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.FailFastAssertionException;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.regent.e2e.BadInputs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * schema/desired-state.schema.json (what editors check while a user types) against the validator
 * (what Regent enforces): every valid input passes both, every invalid one is rejected by both,
 * except for the rules listed in {@link #NOT_IN_SCHEMA}. The schema side reads YAML as an editor's
 * YAML support does (Jackson YAML, duplicate keys refused) and checks each document it holds.
 */
class SchemaAgreementTest {
    private static final Schema SCHEMA = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
            .getSchema(read(Path.of("schema/desired-state.schema.json")), InputFormat.JSON);
    /** The project's Jackson 2 YAML (YAML 1.1 scalars, as snakeyaml reads them for the validator). */
    private static final YAMLMapper YAML = YAMLMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    /**
     * The inputs the validator rejects for a rule JSON Schema cannot state, with that rule. The test
     * also checks that the schema does accept each of them, so the list cannot outlive the gap.
     */
    private static final Map<String, String> NOT_IN_SCHEMA = Map.ofEntries(
            // Cross-field rules: a schema cannot compare one value with another or look up a key.
            Map.entry("28-live-equals-stage.yaml", "live and stage must name different builds"),
            Map.entry("29-live-unlisted.yaml", "live must name a build listed in spec.builds"),
            Map.entry("30-stage-inactive.yaml", "stage must name an active build"),
            Map.entry("spec/live-equals-stage.yaml", "live and stage must name different builds"),
            Map.entry("spec/live-inactive.yaml", "stage must name an active build"),
            Map.entry("spec/live-unlisted.yaml", "live must name a build listed in spec.builds"),
            Map.entry("site-name-twice", "a host name appears once across spec.site.live and spec.site.stage"),
            Map.entry("notification-name-twice", "a receiver name appears once in spec.notifications"),
            Map.entry("site-tls-without-names", "spec.site.tls needs a name in spec.site.live or spec.site.stage"),
            Map.entry("site-hsts-too-long", "maxAge is at most 10 years (a range of a parsed duration)"),
            Map.entry("promotion-interval-over-window", "interval must not be longer than window (compares two values)"),
            Map.entry("promotion-failure-limit-unreachable", "failureLimit must fit in window / interval (compares values)"),
            Map.entry("promotion-window-too-short", "window must be at least 10 s (a range of a parsed duration)"),
            Map.entry("duplicate-step-names", "step names must be unique across spec.steps (uniqueItems compares whole items)"),
            Map.entry("fleet-host-twice", "host names must be unique across spec.fleet.hosts (uniqueItems compares whole items)"),
            Map.entry("fleet-order-unknown-host", "order must name hosts listed in spec.fleet.hosts"),
            Map.entry("fleet-max-parallel-over-hosts", "maxParallel is at most the number of hosts"),
            Map.entry("fleet-slot-ttl-too-short", "slotTtl must be at least 2 s (a range of a parsed duration)"),
            // Values only a parser can judge.
            Map.entry("53-bad-cron-year.yaml", "schedule must be a Quartz cron expression"),
            Map.entry("schedule-not-cron", "schedule must be a Quartz cron expression"),
            Map.entry("health-timeout-too-short", "healthTimeout must be at least 5 s (a range of a parsed duration)"),
            Map.entry("health-timeout-too-long", "healthTimeout must be at most 30 min (a range of a parsed duration)"),
            // How a YAML 1.1 reader types a scalar: yes/no/on/off are booleans to it (and to this test's
            // reader), but Regent takes only true/false, since YAML 1.2 readers see strings there.
            Map.entry("active-yes", "active must be true or false, not yes/no/on/off"),
            Map.entry("fleet-paused-yes", "paused must be true or false, not yes/no/on/off"));

    /**
     * The reader's resource bounds, which protect Regent's memory rather than describe the data: only
     * the validator is run on these (the schema side would just spend seconds on a 10 MB file).
     */
    private static final Map<String, String> READER_BOUNDS = Map.of(
            "57-ten-megabytes.yaml", "a file holds at most " + SafeYaml.MAX_CODE_POINTS + " characters",
            "63-scalar-alias-bomb.yaml", "aliases to text may not expand beyond what a file may hold",
            "64-half-a-million-list-items.yaml", "a file holds at most " + SafeYaml.MAX_VALUES + " values");

    private static final String BASE = """
            apiVersion: regent/v1
            kind: Host
            metadata: {name: demo}
            spec:
              source: {repo: ., path: app}
              builds:
                a: {ref: HEAD}
                b: {ref: HEAD}
            """;

    private static final String FLEET = BASE.replace("kind: Host", "kind: Fleet")
            + "  fleet:\n    hosts: [{name: web1}, {name: web2, paused: true}, {name: web3, drained: false}]\n";

    private static final Map<String, String> VALID_CASES = cases(
            "fleet", FLEET,
            "fleet-rollout", FLEET + "    rollout: {maxParallel: 3, order: [web2, web1], onFailure: halt, slotTtl: 1m}\n",
            "fleet-rollout-empty", FLEET + "    rollout: ~\n",
            "ref-as-number", BASE.replace("a: {ref: HEAD}", "a: {ref: 1234567}"),
            "ref-as-boolean", BASE.replace("a: {ref: HEAD}", "a: {ref: true}"),
            "no-builds", BASE.replace("  builds:\n    a: {ref: HEAD}\n    b: {ref: HEAD}\n", "  builds:\n  live: ~\n"),
            "highest-build-name", BASE + "    ijj: {ref: HEAD}\n",
            "dependencies-index", BASE + "  dependencies: {index: \"https://deploy:s3cret@pypi.example.org/simple/\"}\n",
            "dependencies-index-plain", BASE + "  dependencies: {index: \"http://127.0.0.1:8765/simple\"}\n",
            "post-migrate", BASE + "  migrations: {postMigrate: [venv/bin/python, app/manage.py, contract, 2]}\n",
            "site", BASE + """
                      site:
                        live: [www.example.com, example.com]
                        stage: ["*.stage.example.com"]
                        tls:
                          certificate: deploy/secrets/tls/fullchain.pem
                          key: deploy/secrets/tls/privkey.pem
                          hsts: {maxAge: 365d, includeSubDomains: true}
                        clientMaxBodySize: 10m
                        trustedProxies: [10.0.0.0/8, 192.0.2.7, "2001:db8::/32"]
                    """,
            "site-numbers", BASE + "  site: {live: [example.com], clientMaxBodySize: 0,"
                    + " tls: {certificate: c.pem, key: k.pem, hsts: {maxAge: 31536000}}}\n",
            "site-empty", BASE + "  site: {}\n",
            "promotion", BASE + """
                      promotion:
                        analysis: {window: 2m, interval: 10s, maxErrorRate: 2.5%, maxP99: 750ms, minRequests: 50, failureLimit: 4}
                        smoke: {paths: [/healthz, "/api/items?limit=1"], requests: 5}
                        requireApproval: true
                        canary: {workers: 2}
                    """,
            "promotion-fraction", BASE + "  promotion: {analysis: {maxErrorRate: 0.01, enabled: false}}\n",
            "promotion-analysis-off", BASE + "  promotion: {analysis: off}\n",
            "promotion-analysis-false", BASE + "  promotion: {analysis: false}\n",
            "promotion-empty", BASE + "  promotion: {}\n",
            "notifications", BASE + """
                      notifications:
                        - {name: ci, kind: webhook, urlFile: deploy/secrets/ci-url, secretFile: deploy/secrets/ci-hmac}
                        - {name: team-chat, kind: slack, urlFile: deploy/secrets/slack/url}
                        - {name: gh, kind: github, urlFile: deploy/secrets/gh-url, secretFile: deploy/secrets/gh-token}
                    """,
            "notifications-empty", BASE + "  notifications: ~\n",
            "every-field", BASE + """
                      live: a
                      stage: b
                      strategy: reload
                      healthTimeout: 1m30s
                      syncWindows:
                        - {kind: allow, schedule: "0 0 9 ? * MON-FRI", duration: 8h}
                        - {kind: deny, schedule: "0 0 0 ? * SUN", duration: 1h30m}
                      steps:
                        - {name: venv, run: [python3, -m, venv, venv]}
                        - {name: check, run: [python3, -c, 'print(1)', 2, true]}
                    """);

    private static final Map<String, String> INVALID_CASES = cases(
            "fleet-kind-without-fleet", BASE.replace("kind: Host", "kind: Fleet"),
            "fleet-in-host-file", FLEET.replace("kind: Fleet", "kind: Host"),
            "fleet-no-hosts", FLEET.replaceAll("hosts: .*", "hosts: []"),
            "fleet-hosts-missing", BASE.replace("kind: Host", "kind: Fleet") + "  fleet: {rollout: {maxParallel: 1}}\n",
            "fleet-host-name-bad", FLEET.replace("web1", "Web_1"),
            "fleet-host-no-name", FLEET.replace("{name: web1}", "{paused: true}"),
            "fleet-host-unknown-key", FLEET.replace("{name: web1}", "{name: web1, weight: 2}"),
            "fleet-host-twice", FLEET.replace("web2", "web1"),
            "fleet-paused-yes", FLEET.replace("paused: true", "paused: yes"),
            "fleet-order-unknown-host", FLEET + "    rollout: {order: [web1, web9]}\n",
            "fleet-order-repeated", FLEET + "    rollout: {order: [web1, web1]}\n",
            "fleet-max-parallel-zero", FLEET + "    rollout: {maxParallel: 0}\n",
            "fleet-max-parallel-over-hosts", FLEET + "    rollout: {maxParallel: 4}\n",
            "fleet-on-failure-continue", FLEET + "    rollout: {onFailure: continue}\n",
            "fleet-slot-ttl-too-short", FLEET + "    rollout: {slotTtl: 1s}\n",
            "fleet-slot-ttl-number", FLEET + "    rollout: {slotTtl: 5}\n",
            "fleet-rollout-unknown-key", FLEET + "    rollout: {parallel: 1}\n",
            "build-name-port-too-high", BASE + "    ijk: {ref: HEAD}\n",
            "ref-too-long", BASE.replace("a: {ref: HEAD}", "a: {ref: " + "x".repeat(256) + "}"),
            "ref-negative-number", BASE.replace("a: {ref: HEAD}", "a: {ref: -5}"),
            "ref-null", BASE.replace("a: {ref: HEAD}", "a: {ref: null}"),
            "active-yes", BASE.replace("a: {ref: HEAD}", "a: {ref: HEAD, active: yes}"),
            "path-control-character", BASE.replace("path: app}", "path: \"app\\tx\"}"),
            "repo-control-character", BASE.replace("repo: .,", "repo: \"a\\x01b\","),
            "repo-empty", BASE.replace("repo: .,", "repo: \"\","),
            "settings-null", BASE.replace("path: app}", "path: app, settings: ~}"),
            "run-empty", BASE + "  steps:\n    - {name: venv, run: []}\n",
            "run-program-empty", BASE + "  steps:\n    - {name: venv, run: [\"\", -V]}\n",
            "run-argument-nul", BASE + "  steps:\n    - {name: venv, run: [python3, \"a\\0b\"]}\n",
            "post-migrate-empty", BASE + "  migrations: {postMigrate: []}\n",
            "post-migrate-shell-string", BASE + "  migrations: {postMigrate: \"python app/manage.py contract\"}\n",
            "duplicate-step-names", BASE + "  steps:\n    - {name: venv, run: [a]}\n    - {name: venv, run: [b]}\n",
            "strategy-unknown", BASE + "  strategy: blue-green\n",
            "dependencies-index-ftp", BASE + "  dependencies: {index: \"ftp://mirror.example.org/simple/\"}\n",
            "dependencies-index-no-scheme", BASE + "  dependencies: {index: pypi.org/simple}\n",
            "dependencies-index-space", BASE + "  dependencies: {index: \"https://pypi.org/simple/ x\"}\n",
            "dependencies-unknown-key", BASE + "  dependencies: {indexUrl: \"https://pypi.org/simple/\"}\n",
            "health-timeout-empty", BASE + "  healthTimeout: \"\"\n",
            "health-timeout-too-short", BASE + "  healthTimeout: 1s\n",
            "health-timeout-too-long", BASE + "  healthTimeout: 31m\n",
            "window-duration-zero", BASE + "  syncWindows: [{kind: deny, schedule: \"0 0 0 ? * SUN\", duration: 0h0m}]\n",
            "window-duration-empty", BASE + "  syncWindows: [{kind: deny, schedule: \"0 0 0 ? * SUN\", duration: \"\"}]\n",
            "schedule-not-cron", BASE + "  syncWindows: [{kind: deny, schedule: every sunday, duration: 1h}]\n",
            "site-name-uppercase", BASE + "  site: {live: [Example.com]}\n",
            "site-name-trailing-dot", BASE + "  site: {live: [example.com.]}\n",
            "site-name-twice", BASE + "  site: {live: [example.com], stage: [example.com]}\n",
            "site-tls-without-names", BASE + "  site: {tls: {certificate: c.pem, key: k.pem}}\n",
            "site-certificate-absolute", BASE + "  site: {live: [example.com], tls: {certificate: /etc/c.pem, key: k.pem}}\n",
            "site-key-outside", BASE + "  site: {live: [example.com], tls: {certificate: c.pem, key: ../k.pem}}\n",
            "site-key-missing", BASE + "  site: {live: [example.com], tls: {certificate: c.pem}}\n",
            "site-hsts-bad", BASE + "  site: {live: [example.com], tls: {certificate: c.pem, key: k.pem, hsts: {maxAge: 1d12h}}}\n",
            "site-hsts-too-long", BASE + "  site: {live: [example.com], tls: {certificate: c.pem, key: k.pem, hsts: {maxAge: 11y}}}\n",
            "site-body-size-bad", BASE + "  site: {clientMaxBodySize: 10mb}\n",
            "site-proxy-name", BASE + "  site: {trustedProxies: [lb.example.com]}\n",
            "site-proxy-prefix", BASE + "  site: {trustedProxies: [10.0.0.0/33]}\n",
            "site-unknown-key", BASE + "  site: {names: [example.com]}\n",
            "promotion-unknown-key", BASE + "  promotion: {rollback: true}\n",
            "promotion-analysis-unknown-key", BASE + "  promotion: {analysis: {windw: 60s}}\n",
            "promotion-bad-duration", BASE + "  promotion: {analysis: {window: soon}}\n",
            "promotion-bad-rate", BASE + "  promotion: {analysis: {maxErrorRate: 150%}}\n",
            "promotion-rate-over-one", BASE + "  promotion: {analysis: {maxErrorRate: 1.5}}\n",
            "promotion-min-requests-zero", BASE + "  promotion: {analysis: {minRequests: 0}}\n",
            "promotion-smoke-relative", BASE + "  promotion: {smoke: {paths: [healthz]}}\n",
            "promotion-smoke-no-paths", BASE + "  promotion: {smoke: {requests: 3}}\n",
            "promotion-approval-yes", BASE + "  promotion: {requireApproval: maybe}\n",
            "promotion-canary-zero", BASE + "  promotion: {canary: {workers: 0}}\n",
            "promotion-interval-over-window", BASE + "  promotion: {analysis: {window: 20s, interval: 30s}}\n",
            "promotion-failure-limit-unreachable", BASE + "  promotion: {analysis: {window: 20s, failureLimit: 5}}\n",
            "promotion-window-too-short", BASE + "  promotion: {analysis: {window: 5s, interval: 1s}}\n",
            "notification-url-in-place", BASE + "  notifications: [{name: c, kind: slack, urlFile: \"https://hooks.slack.com/x\"}]\n",
            "notification-outside-secrets", BASE + "  notifications: [{name: c, kind: slack, urlFile: deploy/run/url}]\n",
            "notification-secret-escapes", BASE + "  notifications: [{name: c, kind: slack, urlFile: deploy/secrets/../u}]\n",
            "notification-unknown-kind", BASE + "  notifications: [{name: c, kind: teams, urlFile: deploy/secrets/u}]\n",
            "notification-bad-name", BASE + "  notifications: [{name: Chat, kind: slack, urlFile: deploy/secrets/u}]\n",
            "notification-webhook-unsigned", BASE + "  notifications: [{name: c, kind: webhook, urlFile: deploy/secrets/u}]\n",
            "notification-github-no-token", BASE + "  notifications: [{name: c, kind: github, urlFile: deploy/secrets/u}]\n",
            "notification-slack-secret", BASE + "  notifications: [{name: c, kind: slack, urlFile: deploy/secrets/u,"
                    + " secretFile: deploy/secrets/s}]\n",
            "notification-name-twice", BASE + "  notifications: [{name: c, kind: slack, urlFile: deploy/secrets/u},"
                    + " {name: c, kind: slack, urlFile: deploy/secrets/v}]\n",
            "notification-unknown-key", BASE + "  notifications: [{name: c, kind: slack, url: deploy/secrets/u}]\n");

    @TempDir
    Path dir;

    @TestFactory
    Stream<DynamicTest> validInputsPassTheValidatorAndTheSchema() {
        var inputs = new LinkedHashMap<String, byte[]>();
        inputs.put("desired-state.yaml", readBytes(Path.of("desired-state.yaml")));
        inputs.put("examples/fleet/desired-state.yaml", readBytes(Path.of("examples/fleet/desired-state.yaml")));
        for (String name : List.of("minimal.yaml", "valid.yaml", "editable.yaml", "editable-flow.yaml",
                "editable-block-builds.yaml", "editable-empty.yaml")) {
            inputs.put("spec/" + name, readBytes(Fixtures.path(name)));
        }
        VALID_CASES.forEach((name, text) -> inputs.put(name, text.getBytes(StandardCharsets.UTF_8)));
        return inputs.entrySet().stream().map(input -> DynamicTest.dynamicTest(input.getKey(), () -> {
            assertThat(validator(input.getValue())).as("validator").isEmpty();
            assertThat(schemaProblems(input.getValue())).as("schema").isEmpty();
        }));
    }

    @TestFactory
    Stream<DynamicTest> invalidInputsAreRejectedByTheValidatorAndTheSchema() {
        var inputs = new LinkedHashMap<String, byte[]>();
        BadInputs.entries().forEach(entry -> inputs.put(entry.name(), BadInputs.bytes(entry, "demo")));
        for (String name : List.of("alias-bomb.yaml", "bad-names.yaml", "bad-values.yaml", "builds-list.yaml",
                "explicit-tag.yaml", "live-equals-stage.yaml", "live-inactive.yaml", "live-unlisted.yaml",
                "syntax-error.yaml", "unknown-field.yaml", "wrong-types.yaml")) {
            inputs.put("spec/" + name, readBytes(Fixtures.path(name)));
        }
        INVALID_CASES.forEach((name, text) -> inputs.put(name, text.getBytes(StandardCharsets.UTF_8)));
        return inputs.entrySet().stream().map(input -> DynamicTest.dynamicTest(input.getKey(), () -> {
            assertThat(validator(input.getValue())).as("validator").isNotEmpty();
            if (READER_BOUNDS.containsKey(input.getKey())) {
                return;
            }
            if (NOT_IN_SCHEMA.containsKey(input.getKey())) {
                assertThat(schemaProblems(input.getValue()))
                        .as("the schema now rejects it: remove it from NOT_IN_SCHEMA").isEmpty();
            } else {
                assertThat(schemaProblems(input.getValue())).as("schema").isNotEmpty();
            }
        }));
    }

    @Test
    void theSchemasBuildNamePatternAcceptsExactlyTheNamesWhosePortFits() throws IOException {
        JsonNode schema = YAML.readTree(read(Path.of("schema/desired-state.schema.json")));
        Pattern pattern = Pattern.compile(schema.at("/properties/spec/properties/builds/propertyNames/pattern").asText());
        assertThat(schema.at("/properties/spec/properties/live/pattern").asText()).isEqualTo(pattern.pattern());
        assertThat(schema.at("/properties/spec/properties/stage/pattern").asText()).isEqualTo(pattern.pattern());

        for (int index = 0; index < 26 + 26 * 26 + 26 * 26 * 26; index++) {
            String name = BuildNames.name(index);
            assertThat(pattern.matcher(name).find()).as(name).isEqualTo(BuildNames.isValid(name));
        }
    }

    private List<SpecError> validator(byte[] bytes) throws IOException {
        Path file = dir.resolve("desired-state.yaml");
        Files.write(file, bytes);
        return SpecLoader.loadWholeFile(file) instanceof LoadResult.Invalid invalid ? invalid.errors() : List.of();
    }

    /** Empty when every document passes the schema; a text no YAML reader takes is rejected too. */
    private static List<String> schemaProblems(byte[] bytes) {
        try (MappingIterator<JsonNode> documents = YAML.readerFor(JsonNode.class).readValues(bytes)) {
            List<JsonNode> all = documents.readAll();
            if (all.isEmpty()) {
                return List.of("no document");
            }
            List<String> problems = new ArrayList<>();
            for (JsonNode document : all) {
                // Fail fast: 20,000 empty sync windows would otherwise make 60,000 messages.
                SCHEMA.validate(document.toString(), InputFormat.JSON, (execution, schema) -> execution.setFailFast(true))
                        .forEach(error -> problems.add(error.toString()));
            }
            return problems;
        } catch (IOException e) {
            return List.of("not YAML: " + e.getMessage());
        } catch (FailFastAssertionException e) {
            return List.of(e.getMessage());
        }
    }

    private static Map<String, String> cases(String... nameThenText) {
        var cases = new LinkedHashMap<String, String>();
        for (int i = 0; i < nameThenText.length; i += 2) {
            cases.put(nameThenText[i], nameThenText[i + 1]);
        }
        return cases;
    }

    private static String read(Path file) {
        return new String(readBytes(file), StandardCharsets.UTF_8);
    }

    private static byte[] readBytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
