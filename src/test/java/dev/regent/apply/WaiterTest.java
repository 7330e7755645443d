package dev.regent.apply;

import static org.assertj.core.api.Assertions.assertThat;

import dev.regent.time.FakeClock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Deadlines on a fake clock: a real sleep would never move it, so the {@link Timeout} catches one. */
@Timeout(10)
class WaiterTest {
    private final FakeClock clock = new FakeClock();
    private final AtomicInteger looks = new AtomicInteger();

    @AfterEach
    void clearInterrupt() {
        Thread.interrupted();
    }

    @Test
    void givesUpAtItsDeadlineAfterALastLookThere() {
        var waiter = new Waiter(clock, clock.sleeper(), Duration.ofMillis(300));

        boolean held = waiter.until(Duration.ofSeconds(5), () -> {
            looks.incrementAndGet();
            return false;
        });

        assertThat(held).isFalse();
        assertThat(clock.elapsed()).as("the last pause is cut to end at the deadline").isEqualTo(Duration.ofSeconds(5));
        assertThat(looks).as("a look at 0, 0.3, ... 4.8 s and a last one at 5 s").hasValue(18);
    }

    @Test
    void returnsAtTheFirstPollThatSeesTheCondition() {
        var waiter = new Waiter(clock, clock.sleeper(), Duration.ofMillis(200));

        boolean held = waiter.until(Duration.ofSeconds(5), () -> looks.incrementAndGet() == 4);

        assertThat(held).isTrue();
        assertThat(clock.elapsed()).isEqualTo(Duration.ofMillis(600));
    }

    @Test
    void aConditionHoldingAtOnceNeedsNoPause() {
        var waiter = new Waiter(clock, clock.sleeper(), Duration.ofMillis(200));

        assertThat(waiter.until(Duration.ZERO, () -> true)).isTrue();
        assertThat(waiter.until(Duration.ZERO, () -> false)).isFalse();
        assertThat(clock.elapsed()).isZero();
    }

    @Test
    void anInterruptEndsTheWaitAsNotHeldAndKeepsTheFlag() {
        var waiter = new Waiter(clock, duration -> {
            throw new InterruptedException();
        }, Duration.ofMillis(200));

        assertThat(waiter.until(Duration.ofSeconds(5), () -> false)).isFalse();
        assertThat(Thread.currentThread().isInterrupted()).isTrue();
    }
}
