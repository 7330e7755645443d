package dev.regent.reconcile;

import dev.regent.apply.ActionResult;
import dev.regent.apply.Provenance;
import dev.regent.events.PromotionEvent;
import dev.regent.events.PromotionEvent.Kind;
import dev.regent.events.PromotionEvents;
import dev.regent.plan.Action;
import dev.regent.plan.BlockCode;
import dev.regent.plan.BlockReason;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the {@link PromotionEvents} sink what happens to live: STARTED before a live move, SUCCEEDED
 * (with its duration) or FAILED after it, ROLLED_BACK after an automatic rollback or a failed canary, BUILD_FAILED when a
 * build fails, APPROVAL_WAITING once per revision and build while the approval gate holds live.
 * A sink that throws is logged and skipped.
 */
final class PromotionTeller {
    private static final Logger LOG = LoggerFactory.getLogger("regent");
    private final PromotionEvents sink;
    private final Clock clock;
    private final Set<String> waitingTold = new HashSet<>();

    PromotionTeller(PromotionEvents sink, Clock clock) {
        this.sink = sink;
        this.clock = clock;
    }

    void starting(Action action, Provenance provenance) {
        if (action instanceof Action.SwapLive swap) {
            tell(Kind.STARTED, provenance.revision(), swap.from(), swap.build(), trigger(swap, provenance), Optional.empty(),
                    "making build " + swap.build() + " live");
        } else if (action instanceof Action.RollBack rollBack) {
            tell(Kind.STARTED, rollBack.pin().revision(), Optional.of(rollBack.pin().build()), rollBack.build(), "rollback",
                    Optional.empty(), rollBack.pin().reason());
        }
    }

    void finished(Action action, ActionResult result, Duration took, Provenance provenance) {
        Optional<String> failure = result instanceof ActionResult.Failed f ? Optional.of(f.reason()) : Optional.empty();
        if (action instanceof Action.SwapLive swap) {
            tell(failure.isEmpty() ? Kind.SUCCEEDED : Kind.FAILED, provenance.revision(), swap.from(), swap.build(),
                    trigger(swap, provenance), Optional.of(took), failure.orElse("build " + swap.build() + " is live"));
        } else if (action instanceof Action.RollBack rollBack) {
            tell(failure.isEmpty() ? Kind.ROLLED_BACK : Kind.FAILED, rollBack.pin().revision(),
                    Optional.of(rollBack.pin().build()), rollBack.build(), "rollback", Optional.of(took),
                    failure.orElse(rollBack.pin().reason()));
        } else if (action instanceof Action.FailCanary canary && failure.isEmpty()) {
            // Live never moved: the failed canary is told as a rollback of its revision, by the canary.
            tell(Kind.ROLLED_BACK, canary.pin().revision(), Optional.of(canary.build()), canary.pin().from(), "canary",
                    Optional.of(took), canary.pin().reason());
        } else if (action instanceof Action.CreateBuild create && failure.isPresent()) {
            tell(Kind.BUILD_FAILED, provenance.revision(), Optional.empty(), create.build(), provenance.trigger(),
                    Optional.of(took), failure.get());
        }
    }

    /** The plan ended blocked: tells APPROVAL_WAITING the first time the gate holds {@code wanted} for a revision. */
    void blocked(List<BlockReason> reasons, Optional<String> live, Optional<String> wanted, Provenance provenance) {
        reasons.stream().filter(r -> r.code() == BlockCode.AWAITING_APPROVAL).findFirst().ifPresent(r -> {
            if (wanted.isPresent() && waitingTold.add(provenance.revision() + " " + wanted.get())) {
                tell(Kind.APPROVAL_WAITING, provenance.revision(), live, wanted.get(), provenance.trigger(), Optional.empty(),
                        r.message());
            }
        });
    }

    private static String trigger(Action.SwapLive swap, Provenance provenance) {
        return swap.approvedBy().isPresent() ? "approval" : provenance.trigger();
    }

    private void tell(Kind kind, String revision, Optional<String> from, String to, String trigger, Optional<Duration> took,
                      String reason) {
        try {
            sink.told(new PromotionEvent(kind, clock.instant(), revision, Optional.empty(), from, Optional.of(to), trigger,
                    took, reason));
        } catch (RuntimeException e) {
            LOG.warn("a promotion event sink failed on {} of build {}: {}", kind, to, e.toString());
        }
    }
}
