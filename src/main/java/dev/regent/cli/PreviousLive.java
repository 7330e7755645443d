package dev.regent.cli;

import dev.regent.fs.HostFiles;
import dev.regent.fs.HostLayout;
import dev.regent.observe.Pin;
import dev.regent.observe.PromotionRecord;
import java.util.List;
import java.util.Optional;

/** The build that served before the desired live one, as the host remembers it: a pin's, else the last promotion's. */
final class PreviousLive {
    private PreviousLive() {
    }

    static Optional<String> of(HostLayout layout, Optional<String> desiredLive) {
        if (desiredLive.isEmpty()) {
            return Optional.empty();
        }
        String live = desiredLive.get();
        Optional<String> held = Pin.read(layout).orAbsent().orElseGet(List::of).stream()
                .filter(p -> p.build().equals(live)).map(Pin::from).findFirst();
        return held.or(() -> HostFiles.readJson(PromotionRecord.path(layout), PromotionRecord.class)
                .filter(r -> r.to().equals(live)).flatMap(PromotionRecord::from));
    }
}
