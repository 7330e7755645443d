package dev.regent.apply;

import dev.regent.fs.FileRead;
import dev.regent.fs.HostFiles;
import dev.regent.fs.HostLayout;
import dev.regent.observe.BuildRecord;
import dev.regent.observe.Pin;
import dev.regent.observe.PromotionRecord;
import dev.regent.observe.SmokeRecord;
import dev.regent.plan.Action.ReleasePin;
import dev.regent.plan.Action.SmokeCheck;
import java.util.List;
import java.util.Optional;

/** The files a promotion leaves: the record of the last live move, the rollback pins, the smoke checks. */
final class PromotionSteps {
    private final HostContext host;
    private final HostLayout layout;
    private final Probe probe;

    PromotionSteps(HostContext host, Probe probe) {
        this.host = host;
        this.layout = host.layout();
        this.probe = probe;
    }

    /** Written just before the rename that moves live, and only when it does move. */
    void recordMove(String to, String revision, String trigger) {
        Optional<String> from = HostFiles.readLink(layout.role(HostLayout.LIVE));
        if (from.equals(Optional.of(to))) {
            return;
        }
        HostFiles.writeJson(PromotionRecord.path(layout), new PromotionRecord(from, to, revision, trigger, host.clock().instant()));
    }

    /** The pin first: once it is on disk, every later plan holds live at the build rolled back to. */
    Optional<String> pin(Pin pin) {
        FileRead<List<Pin>> pins = Pin.read(layout);
        if (pins.unreadable().isPresent()) {
            return Optional.of("could not read " + pins.unreadable().get().describe(layout.root()));
        }
        List<Pin> now = pins.orAbsent().orElseGet(List::of);
        if (!now.contains(pin)) {
            Pin.write(layout, Pin.with(now, pin));
        }
        return Optional.empty();
    }

    ActionResult release(ReleasePin a) {
        FileRead<List<Pin>> pins = Pin.read(layout);
        if (pins.unreadable().isPresent()) {
            return ActionResult.failed("could not read " + pins.unreadable().get().describe(layout.root()));
        }
        List<Pin> now = pins.orAbsent().orElseGet(List::of);
        List<Pin> kept = Pin.without(now, a.build());
        if (kept.size() != now.size()) {
            Pin.write(layout, kept);
        }
        return ActionResult.done(kept.size() == now.size() ? "no pin on build " + a.build() : "pin released");
    }

    /** Each path {@code requests} times on the build's own port; the first answer that is not 2xx fails it. The result is recorded either way. */
    ActionResult smoke(SmokeCheck a) {
        Optional<BuildRecord> made = HostFiles.readJson(layout.build(a.build()).resolve(BuildRecord.FILE), BuildRecord.class);
        if (made.isEmpty()) {
            return ActionResult.failed("build " + a.build() + " has no build record to smoke-check");
        }
        String failure = null;
        for (String path : a.paths()) {
            List<Integer> statuses = probe.statuses(a.port(), path, a.requests());
            long good = statuses.stream().filter(s -> s / 100 == 2).count();
            if (good < a.requests()) {
                int bad = statuses.stream().filter(s -> s / 100 != 2).findFirst().orElse(0);
                failure = "GET " + path + " answered " + (bad == 0 ? "nothing (refused or timed out)" : "HTTP " + bad)
                        + " (" + (a.requests() - good) + " of " + a.requests() + " requests not 2xx)";
                break;
            }
        }
        boolean passed = failure == null;
        String detail = passed ? "every path answered 2xx " + a.requests() + " times" : failure;
        HostFiles.writeJson(layout.marker(a.build(), SmokeRecord.KIND), new SmokeRecord(a.build(), made.get().commit(),
                a.paths(), a.requests(), passed, detail, host.clock().instant()));
        return ActionResult.done((passed ? "passed: " : "failed, recorded: ") + detail);
    }
}
