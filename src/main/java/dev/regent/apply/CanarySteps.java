package dev.regent.apply;

import dev.regent.fs.HostFiles;
import dev.regent.fs.HostLayout;
import dev.regent.observe.BuildRecord;
import dev.regent.observe.CanaryFiles;
import dev.regent.observe.CanaryRecord;
import dev.regent.observe.ObservedCanary;
import dev.regent.observe.ReadyMarker;
import dev.regent.plan.Action.AttachCanary;
import dev.regent.plan.Action.FailCanary;
import dev.regent.plan.Action.PassCanary;
import dev.regent.plan.Action.WithdrawCanary;
import dev.regent.safety.HealthProof;
import dev.regent.uwsgi.StatsReader.UwsgiStats;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Optional;

/**
 * The canary's effects. They touch only the canary build's canary.ini, canary-target.ini and
 * deploy/run/canary.json, never a pool link (zerg.ini) of any build: the live build's own pool is left
 * alone whatever happens. Withdrawing removes canary.ini; the canary emperor stops that pool gracefully,
 * so its in-flight requests finish and the rest go to the live pool on the same socket.
 */
final class CanarySteps {
    private final HostContext host;
    private final HostLayout layout;
    private final PromotionSteps promotions;
    private final String revision;

    CanarySteps(HostContext host, PromotionSteps promotions, String revision) {
        this.host = host;
        this.layout = host.layout();
        this.promotions = promotions;
        this.revision = revision;
    }

    /**
     * Re-checks on the host as it is now: {@code of} is live, the build is another one, proven healthy.
     * A canary linked for another target is withdrawn first (a pool reads its target only at start).
     */
    ActionResult attach(AttachCanary a) {
        Optional<String> live = HostFiles.readLink(layout.role(HostLayout.LIVE));
        if (!live.equals(Optional.of(a.of())) || a.of().equals(a.build())) {
            return ActionResult.failed("refusing to attach a canary of build " + a.build() + " to build " + a.of()
                    + "'s router: live is " + live.orElse("(none)"));
        }
        HealthProof proof = HealthProof.of(ReadyMarker.read(layout, a.build(), ReadyMarker.HEALTHY),
                host.stats().read(layout.poolStats(a.build())), host.stats().read(layout.vassalStats(a.build())));
        if (proof != HealthProof.PROVEN) {
            return ActionResult.failed("refusing to attach a canary of build " + a.build() + ": " + proof.meaning());
        }
        Optional<BuildRecord> made = HostFiles.readJson(layout.build(a.build()).resolve(BuildRecord.FILE), BuildRecord.class);
        if (made.isEmpty()) {
            return ActionResult.failed("build " + a.build() + " has no build record");
        }
        String target = CanaryFiles.targetContent(new ObservedCanary.Target(a.of(), a.workers()));
        boolean sameTarget = read(CanaryFiles.target(layout, a.build())).filter(target::equals).isPresent();
        if (!sameTarget && Files.isSymbolicLink(CanaryFiles.ini(layout, a.build()))) {
            Optional<String> left = unlink(a.build());
            if (left.isPresent()) {
                return ActionResult.failed(left.get());
            }
        }
        if (!sameTarget) {
            HostFiles.writeAtomically(CanaryFiles.target(layout, a.build()), target);
        }
        HostFiles.pointLink(CanaryFiles.ini(layout, a.build()), CanaryFiles.SKELETON);
        boolean serving = host.waiter().until(host.timeouts().processUp(), () -> host.stats()
                .read(CanaryFiles.stats(layout, a.build())).filter(UwsgiStats::allAccepting).isPresent());
        if (!serving) {
            return ActionResult.failed("the canary of build " + a.build() + " is linked but did not serve within "
                    + host.timeouts().processUp().toSeconds() + " s (no accepting workers on "
                    + CanaryFiles.stats(layout, a.build()).getFileName() + "); see the web container's log");
        }
        HostFiles.writeJson(CanaryRecord.path(layout), new CanaryRecord(a.build(), a.of(), a.workers(),
                made.get().commit(), revision, host.clock().instant(), false));
        return ActionResult.done("serving on build " + a.of() + "'s router since " + host.clock().instant());
    }

    /** Passed is written first: a crash before the withdrawal leaves a record the next plan promotes from. */
    ActionResult pass(PassCanary a) {
        Optional<CanaryRecord> record = HostFiles.readJson(CanaryRecord.path(layout), CanaryRecord.class)
                .filter(r -> r.build().equals(a.build()) && r.of().equals(a.of()));
        if (record.isEmpty()) {
            return ActionResult.failed("no record of a canary of build " + a.build() + " on build " + a.of() + "'s router");
        }
        if (!record.get().passed()) {
            HostFiles.writeJson(CanaryRecord.path(layout), record.get().withPassed());
        }
        Optional<String> left = unlink(a.build());
        if (left.isPresent()) {
            return ActionResult.failed(left.get());
        }
        deleteTarget(a.build());
        return ActionResult.done("passed, withdrawn");
    }

    /** The pin first: once it is on disk, every later plan holds live where it is and withdraws the canary. */
    ActionResult fail(FailCanary a) {
        Optional<String> unpinned = promotions.pin(a.pin());
        if (unpinned.isPresent()) {
            return ActionResult.failed("the canary of build " + a.build() + " stays: the pin could not be written: "
                    + unpinned.get());
        }
        return withdraw(a.build(), "pinned, withdrawn");
    }

    ActionResult withdraw(WithdrawCanary a) {
        return withdraw(a.build(), "withdrawn");
    }

    private ActionResult withdraw(String build, String detail) {
        Optional<String> left = unlink(build);
        if (left.isPresent()) {
            return ActionResult.failed(left.get());
        }
        deleteTarget(build);
        try {
            if (HostFiles.readJson(CanaryRecord.path(layout), CanaryRecord.class).filter(r -> r.build().equals(build))
                    .isPresent()) {
                Files.deleteIfExists(CanaryRecord.path(layout));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not remove the canary files of build " + build, e);
        }
        return ActionResult.done(detail);
    }

    private void deleteTarget(String build) {
        try {
            Files.deleteIfExists(CanaryFiles.target(layout, build));
        } catch (IOException e) {
            throw new UncheckedIOException("could not remove " + CanaryFiles.target(layout, build), e);
        }
    }

    /** Removes canary.ini and waits until its pool's stats socket no longer answers; the reason if it still does. */
    private Optional<String> unlink(String build) {
        HostFiles.removeLink(CanaryFiles.ini(layout, build));
        boolean down = host.waiter().until(host.timeouts().processDown(),
                () -> host.stats().read(CanaryFiles.stats(layout, build)).isEmpty());
        return down ? Optional.empty() : Optional.of("canary.ini of build " + build + " is removed but its canary still"
                + " answers after " + host.timeouts().processDown().toSeconds() + " s");
    }

    private static Optional<String> read(java.nio.file.Path file) {
        try {
            return Files.isRegularFile(file) ? Optional.of(Files.readString(file)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
