package dev.regent.fleet.etcd;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FleetKeysTest {

    private final FleetKeys keys = FleetKeys.forFleet("shop");

    @Test
    void aRevisionKeyIsSixteenHexDigitsOfItsSha256() {
        // SHA-256("abc") = ba7816bf8f01cfea414140de5dae2223...
        assertThat(FleetKeys.revisionKey("abc")).isEqualTo("ba7816bf8f01cfea");
        assertThat(FleetKeys.revisionKey("main/feature x")).matches("[0-9a-f]{16}");
    }

    @Test
    void everyKeyOfAFleetIsUnderItsPrefix() {
        String rev = FleetKeys.revisionKey("abc");
        assertThat(keys.host("web1")).isEqualTo("/regent/shop/hosts/web1");
        assertThat(keys.slot("abc", "web1")).isEqualTo("/regent/shop/slots/" + rev + "/web1");
        assertThat(keys.halt("abc")).isEqualTo("/regent/shop/halts/" + rev);
        assertThat(keys.migrationLead("abc")).isEqualTo("/regent/shop/migrations/" + rev + "/lead");
        assertThat(keys.migrationResult("abc")).isEqualTo("/regent/shop/migrations/" + rev + "/result");
    }

    @Test
    void aFleetNameIsOneKeySegment() {
        assertThatThrownBy(() -> FleetKeys.forFleet("a/b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FleetKeys("/regent/shop")).isInstanceOf(IllegalArgumentException.class);
    }
}
