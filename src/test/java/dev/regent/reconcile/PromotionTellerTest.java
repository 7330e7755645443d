package dev.regent.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.regent.apply.ActionResult;
import dev.regent.apply.Provenance;
import dev.regent.events.PromotionEvent;
import dev.regent.events.PromotionEvent.Kind;
import dev.regent.observe.Pin;
import dev.regent.plan.Action;
import dev.regent.plan.BlockCode;
import dev.regent.plan.BlockReason;
import dev.regent.traffic.Figures;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/** Which PromotionEvents a reconcile tells, and that the analysis asks for its next pass on time. */
class PromotionTellerTest {
    private static final Instant T0 = Instant.parse("2026-11-28T14:00:00Z");
    private static final Provenance GIT = new Provenance("c0ffee", "git");
    private final List<PromotionEvent> told = new ArrayList<>();
    private final PromotionTeller teller = new PromotionTeller(told::add, Clock.fixed(T0, ZoneOffset.UTC));

    @Test
    void aLiveMoveIsToldBeforeAndAfterWithItsDuration() {
        var swap = new Action.SwapLive("b", Optional.of("a"), true);

        teller.starting(swap, GIT);
        teller.finished(swap, ActionResult.done("live -> b"), Duration.ofMillis(812), GIT);

        assertThat(told).extracting(PromotionEvent::kind).containsExactly(Kind.STARTED, Kind.SUCCEEDED);
        assertThat(told.get(1)).returns("c0ffee", PromotionEvent::revision).returns(Optional.of("a"), PromotionEvent::from)
                .returns(Optional.of("b"), PromotionEvent::to).returns("git", PromotionEvent::trigger)
                .returns(Optional.of(Duration.ofMillis(812)), PromotionEvent::took);
    }

    @Test
    void aFailedMoveARollbackAndAFailedBuildAreTold() {
        var pin = new Pin("b", "c0ffee", "a", "build b failed 5.0% of its requests", new Figures(600, 30, 45), T0);

        teller.finished(new Action.SwapLive("b", Optional.of("a"), true), ActionResult.failed("nginx does not serve it"),
                Duration.ZERO, GIT);
        teller.finished(new Action.RollBack("a", pin, true), ActionResult.done("live -> a"), Duration.ofMillis(40),
                new Provenance("later", "git"));
        teller.finished(new Action.SwapLive("c", Optional.of("a"), true, Optional.of("alice")), ActionResult.done("ok"),
                Duration.ZERO, GIT);

        assertThat(told).extracting(PromotionEvent::kind).containsExactly(Kind.FAILED, Kind.ROLLED_BACK, Kind.SUCCEEDED);
        assertThat(told.get(1)).returns("c0ffee", PromotionEvent::revision).returns("rollback", PromotionEvent::trigger)
                .returns(Optional.of("b"), PromotionEvent::from).returns(Optional.of("a"), PromotionEvent::to)
                .returns(pin.reason(), PromotionEvent::reason);
        assertThat(told.get(2).trigger()).isEqualTo("approval");
    }

    @Test
    void aFailedCanaryIsToldOnceAsARollbackByTheCanaryAndItsOtherStepsNotAtAll() {
        var pin = new Pin("b", "c0ffee", "a", "its canary on build a's router failed its analysis", new Figures(600, 120, 30), T0);

        for (Action step : List.of(new Action.AttachCanary("b", "a", 1), new Action.FailCanary("b", pin),
                new Action.WithdrawCanary("b", "no canary of it is wanted now"))) {
            teller.starting(step, GIT);
            teller.finished(step, ActionResult.done("ok"), Duration.ofMillis(300), new Provenance("later", "git"));
        }
        teller.finished(new Action.FailCanary("b", pin), ActionResult.failed("the pin could not be written"), Duration.ZERO, GIT);

        assertThat(told).singleElement().returns(Kind.ROLLED_BACK, PromotionEvent::kind)
                .returns("c0ffee", PromotionEvent::revision).returns("canary", PromotionEvent::trigger)
                .returns(Optional.of("b"), PromotionEvent::from).returns(Optional.of("a"), PromotionEvent::to)
                .returns(pin.reason(), PromotionEvent::reason);
    }

    @Test
    void theApprovalWaitIsToldOncePerRevisionAndBuild() {
        var waiting = List.of(new BlockReason(BlockCode.AWAITING_APPROVAL, "live stays at a: build b waits for approval"));

        for (int pass = 0; pass < 5; pass++) {
            teller.blocked(waiting, Optional.of("a"), Optional.of("b"), GIT);
        }
        teller.blocked(waiting, Optional.of("a"), Optional.of("b"), new Provenance("newer", "git"));

        assertThat(told).extracting(PromotionEvent::kind).containsExactly(Kind.APPROVAL_WAITING, Kind.APPROVAL_WAITING);
    }

    @Test
    void aSinkThatThrowsStopsNothing() {
        var throwing = new PromotionTeller(e -> {
            throw new IllegalStateException("receiver down");
        }, Clock.systemUTC());

        throwing.starting(new Action.SwapLive("b", Optional.of("a"), true), GIT);
    }

    @Test
    void theAnalysisWakeNudgesTheQueueWhenAsked() throws InterruptedException {
        var queue = new TriggerQueue();
        var scheduler = Executors.newSingleThreadScheduledExecutor();
        try {
            var wake = new AnalysisWake(scheduler, queue, Clock.systemUTC());
            wake.lookAgainAt(Instant.now().plusMillis(100));
            wake.lookAgainAt(Instant.now().plusSeconds(60));

            assertThat(queue.await(Duration.ofSeconds(5))).isEqualTo("analysis");
        } finally {
            scheduler.shutdownNow();
        }
    }
}
