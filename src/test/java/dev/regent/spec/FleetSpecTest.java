package dev.regent.spec;

import static dev.regent.spec.Fixtures.errorsOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.regent.fleet.FleetHost;
import dev.regent.fleet.FleetSpec;
import dev.regent.fleet.RolloutPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** spec.fleet of a kind: Fleet file: read into a FleetSpec with the policy's defaults, every rejection exact and at its line. */
class FleetSpecTest {
    static final String HEADER = """
            apiVersion: regent/v1
            kind: Fleet
            metadata: {name: shop}
            spec:
              source: {repo: ., path: app}
              builds: {a: {ref: HEAD}, b: {ref: HEAD}}
              live: a
              fleet:
            """;
    private static final String THREE_HOSTS = "    hosts: [{name: web1}, {name: web2}, {name: web3}]\n";

    private static DesiredState whole(String text) {
        LoadResult result = SpecLoader.parseWholeFile(Path.of("desired-state.yaml"), text);
        assertThat(result).isInstanceOf(LoadResult.Valid.class);
        return ((LoadResult.Valid) result).state();
    }

    /** Each error as "line: field: message", the way a user reads it after the file name. */
    private static List<String> rejections(String text) {
        return errorsOf(SpecLoader.parseWholeFile(Path.of("desired-state.yaml"), text)).stream()
                .map(e -> e.line() + ": " + e.field() + ": " + e.message()).toList();
    }

    @Test
    void aFleetWithHostsOnlyTakesThePolicysDefaults() {
        DesiredState state = whole(HEADER + THREE_HOSTS);

        assertThat(state.fleet()).contains(new FleetSpec(List.of(new FleetHost("web1", false, false),
                new FleetHost("web2", false, false), new FleetHost("web3", false, false)),
                new RolloutPolicy(1, List.of(), RolloutPolicy.OnFailure.HALT, Duration.ofSeconds(5))));
        assertThat(state.lineOf("spec.fleet.hosts")).isEqualTo(9);
    }

    @Test
    void everyFieldIsRead() {
        DesiredState state = whole(HEADER + """
                    hosts:
                      - name: web1
                      - {name: web2, paused: true}
                      - {name: web3, drained: true}
                      - {name: web4, paused: false, drained: false}
                    rollout:
                      maxParallel: 2
                      order: [web3, web1]
                      onFailure: halt
                      slotTtl: 2500ms
                    database: perHost
                """);

        assertThat(state.fleet()).contains(new FleetSpec(List.of(new FleetHost("web1", false, false),
                new FleetHost("web2", true, false), new FleetHost("web3", false, true), new FleetHost("web4", false, false)),
                new RolloutPolicy(2, List.of("web3", "web1"), RolloutPolicy.OnFailure.HALT, Duration.ofMillis(2500)),
                FleetSpec.Database.PER_HOST));
        assertThat(state.lineOf("spec.fleet.hosts[2]")).isEqualTo(12);
        assertThat(state.lineOf("spec.fleet.rollout.slotTtl")).isEqualTo(18);
    }

    @Test
    void anEmptyRolloutOrOrderMeansTheDefaults() {
        assertThat(whole(HEADER + THREE_HOSTS + "    rollout:\n").fleet().orElseThrow().rollout())
                .isEqualTo(RolloutPolicy.DEFAULT);
        assertThat(whole(HEADER + THREE_HOSTS + "    rollout: {order: ~}\n").fleet().orElseThrow().rollout())
                .isEqualTo(RolloutPolicy.DEFAULT);
    }

    @Test
    void aHostFileHasNoFleet() {
        assertThat(whole(HEADER.replace("kind: Fleet", "kind: Host").replace("  fleet:\n", "")).fleet()).isEmpty();
    }

    @Test
    void eachBadFleetIsRejectedWithItsExactMessageAndLine() {
        String hosts = "    hosts:\n      - name: web1\n      - name: web2\n      - name: web3\n";
        for (var c : List.of(
                List.of(THREE_HOSTS + "    rollout: {order: [web1, web9]}\n",
                        "10: spec.fleet.rollout.order[1]: web9 is not a host of this fleet (hosts: web1, web2, web3)"),
                List.of(THREE_HOSTS + "    rollout:\n      order:\n        - web2\n        - web2\n",
                        "13: spec.fleet.rollout.order[1]: web2 is listed twice in order (first as order[0]); each host"
                                + " moves once"),
                List.of(THREE_HOSTS + "    database: shard\n",
                        "10: spec.fleet.database: database \"shard\" is not shared (the hosts share one database:"
                                + " migrations run once per fleet) or perHost (each host migrates its own)"),
                List.of(THREE_HOSTS + "    rollout: {maxParallel: 4}\n",
                        "10: spec.fleet.rollout.maxParallel: maxParallel \"4\" must be a whole number from 1 to 3"
                                + " (the number of hosts)"),
                List.of(THREE_HOSTS + "    rollout: {maxParallel: 0}\n",
                        "10: spec.fleet.rollout.maxParallel: maxParallel \"0\" must be a whole number from 1 to 3"
                                + " (the number of hosts)"),
                List.of(THREE_HOSTS + "    rollout: {onFailure: continue}\n",
                        "10: spec.fleet.rollout.onFailure: onFailure \"continue\" is not supported; the only value is halt"
                                + " (a host whose move fails stops the rollout)"),
                List.of(THREE_HOSTS + "    rollout: {slotTtl: 1s}\n",
                        "10: spec.fleet.rollout.slotTtl: slotTtl \"1s\" must be between 2 s and 1 min"),
                List.of(THREE_HOSTS + "    rollout: {slotTtl: 61s}\n",
                        "10: spec.fleet.rollout.slotTtl: slotTtl \"61s\" must be between 2 s and 1 min"),
                List.of(THREE_HOSTS + "    rollout: {slotTtl: 5}\n",
                        "10: spec.fleet.rollout.slotTtl: slotTtl \"5\" must look like 500ms, 5s, 2m or 1m30s"),
                List.of(THREE_HOSTS + "    rollout: {maxParalel: 1}\n",
                        "10: spec.fleet.rollout.maxParalel: unknown field \"maxParalel\" (did you mean \"maxParallel\"?);"
                                + " allowed: maxParallel, order, onFailure, slotTtl"),
                List.of("    hosts: []\n", "9: spec.fleet.hosts: list at least one host, e.g. [{name: web1}]"),
                List.of("    hosts: web1\n", "9: spec.fleet.hosts: must be a list, not \"web1\""),
                List.of("    rollout: {maxParallel: 1}\n", "8: spec.fleet: missing required field \"hosts\""),
                List.of(hosts.replace("web2", "web1"),
                        "11: spec.fleet.hosts[1].name: host web1 is listed twice (first at line 10)"),
                List.of(hosts.replace("web2", "Web_2"),
                        "11: spec.fleet.hosts[1].name: host name \"Web_2\" must be a DNS label: 1 to 63 characters of"
                                + " a-z, 0-9 and -, starting and ending with a letter or digit"),
                List.of(hosts.replace("web2", "web2-"),
                        "11: spec.fleet.hosts[1].name: host name \"web2-\" must be a DNS label: 1 to 63 characters of"
                                + " a-z, 0-9 and -, starting and ending with a letter or digit"),
                List.of(hosts.replace("name: web2", "paused: true"),
                        "11: spec.fleet.hosts[1]: missing required field \"name\""),
                List.of(hosts.replace("name: web2", "{name: web2, paused: yes}"),
                        "11: spec.fleet.hosts[1].paused: must be true or false, not \"yes\""),
                List.of(hosts.replace("name: web2", "{name: web2, weight: 2}"),
                        "11: spec.fleet.hosts[1].weight: unknown field \"weight\"; allowed: name, paused, drained"),
                List.of(hosts.replace("name: web2", "web2"),
                        "11: spec.fleet.hosts[1]: must be a mapping (key: value lines), not \"web2\""),
                // A host rejected for its name is reported once, not again by the order naming it.
                List.of(hosts.replace("web2", "Web2") + "    rollout: {order: [Web2, web1]}\n",
                        "11: spec.fleet.hosts[1].name: host name \"Web2\" must be a DNS label: 1 to 63 characters of"
                                + " a-z, 0-9 and -, starting and ending with a letter or digit"))) {
            assertThat(rejections(HEADER + c.get(0))).as(c.get(0)).containsExactly(c.get(1));
        }
    }

    @Test
    void theKindDecidesWhetherSpecFleetIsRequiredOrRefused() {
        assertThat(rejections(HEADER.replace("  fleet:\n", ""))).containsExactly(
                "4: spec: missing required field \"fleet\": a kind: Fleet file lists its hosts in spec.fleet.hosts");
        assertThat(rejections(HEADER.replace("kind: Fleet", "kind: Host") + THREE_HOSTS)).containsExactly(
                "8: spec.fleet: spec.fleet is for fleet files only; this file is kind: Host (use kind: Fleet for many"
                        + " hosts)");
        assertThat(rejections(HEADER.replace("kind: Fleet", "kind: Fleets") + THREE_HOSTS)).containsExactly(
                "2: kind: unsupported kind \"Fleets\"; expected \"Host\" or \"Fleet\"");
    }

    @Test
    void theExampleFleetIsValid() {
        LoadResult result = SpecLoader.loadWholeFile(Path.of("examples/fleet/desired-state.yaml"));

        assertThat(result).isInstanceOf(LoadResult.Valid.class);
        FleetSpec fleet = ((LoadResult.Valid) result).state().fleet().orElseThrow();
        assertThat(fleet.hosts()).extracting(FleetHost::name).containsExactly("web1", "web2", "web3");
        assertThat(fleet.rollout()).isEqualTo(new RolloutPolicy(1, List.of("web1", "web2", "web3"),
                RolloutPolicy.OnFailure.HALT, Duration.ofSeconds(5)));
    }
}
