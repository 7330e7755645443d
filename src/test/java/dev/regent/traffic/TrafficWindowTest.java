package dev.regent.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.regent.time.FakeClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.assertj.core.data.Percentage;
import org.junit.jupiter.api.Test;

class TrafficWindowTest {
    static final Instant START = Instant.parse("2026-11-28T14:00:00Z");
    final FakeClock clock = new FakeClock(START);
    final TrafficWindow window = new TrafficWindow(clock);

    void request(String build, Instant ended, int status, double millis) {
        window.record(new LoggedRequest(ended.toEpochMilli(), status, millis / 1000, 8080, build));
    }

    @Test
    void p99IsWithinFivePercentOfTheTrueOne() {
        var random = new Random(13);
        var latencies = new ArrayList<Double>();
        for (int i = 0; i < 20_000; i++) {
            // Log-normal around 30 ms with a long tail, in nginx's whole milliseconds.
            double millis = Math.rint(Math.exp(Math.log(30) + 0.9 * random.nextGaussian()));
            latencies.add(millis);
            request("a", START.plusMillis(i % 60_000), 200, millis);
        }
        Collections.sort(latencies);
        double truth = latencies.get((int) Math.ceil(0.99 * latencies.size()) - 1);
        clock.advance(Duration.ofMinutes(1));

        var figures = window.figures("a", START, clock.instant());

        assertThat(figures.requests()).isEqualTo(20_000);
        assertThat(figures.p99Millis()).isCloseTo(truth, Percentage.withPercentage(5));
    }

    @Test
    void p99OfOneSlowRequestInAHundredIsTheFastOnesAndInFiftyTheSlowOne() {
        for (int i = 0; i < 99; i++) {
            request("a", START, 200, 20);
        }
        request("a", START, 200, 2000);
        assertThat(window.figures("a", START, START.plusSeconds(1)).p99Millis()).isCloseTo(20, Percentage.withPercentage(5));

        request("a", START, 200, 2000);
        assertThat(window.figures("a", START, START.plusSeconds(1)).p99Millis()).isCloseTo(2000, Percentage.withPercentage(5));
    }

    @Test
    void countsRequestsAndOnly5xxAsErrorsPerBuild() {
        request("a", START, 200, 5);
        request("a", START, 404, 5);
        request("a", START, 500, 5);
        request("a", START, 503, 5);
        request("b", START, 502, 5);

        var a = window.figures("a", START, START.plusSeconds(1));
        assertThat(a.requests()).isEqualTo(4);
        assertThat(a.errors()).isEqualTo(2);
        assertThat(a.errorRate()).isEqualTo(0.5);
        assertThat(window.figures("b", START, START.plusSeconds(1)).errors()).isEqualTo(1);
        assertThat(window.figures("c", START, START.plusSeconds(1))).isEqualTo(Figures.NONE);
    }

    @Test
    void figuresCountEverySecondThatOverlapsTheSpanWhole() {
        request("a", START.plusMillis(999), 200, 1);
        request("a", START.plusMillis(1_000), 200, 1);
        request("a", START.plusMillis(1_500), 200, 1);
        request("a", START.plusMillis(2_000), 200, 1);
        request("a", START.plusMillis(3_999), 200, 1);
        clock.advance(Duration.ofSeconds(10));

        assertThat(window.figures("a", START.plusMillis(1_000), START.plusMillis(2_000)).requests())
                .as("[1 s, 2 s): the second that starts at 1 s").isEqualTo(2);
        assertThat(window.figures("a", START.plusMillis(1_700), START.plusMillis(2_000)).requests())
                .as("[1.7 s, 2 s): all of the second 1.7 s falls in").isEqualTo(2);
        assertThat(window.figures("a", START.plusMillis(1_700), START.plusMillis(2_001)).requests())
                .as("[1.7 s, 2.001 s): the seconds from 1 s and from 2 s").isEqualTo(3);
        assertThat(window.figures("a", START, START.plusSeconds(4)).requests()).isEqualTo(5);
        assertThat(window.figures("a", START.plusSeconds(4), START.plusSeconds(9)).requests()).isZero();
        assertThat(window.figures("a", START.plusSeconds(2), START.plusSeconds(2)).requests()).as("empty span").isZero();
    }

    @Test
    void requestsLoggedOutOfOrderAllCount() {
        request("a", START.plusSeconds(3), 200, 1);
        request("a", START.plusSeconds(1), 500, 1);
        request("a", START.plusSeconds(2), 200, 1);

        var all = window.figures("a", START, START.plusSeconds(4));
        assertThat(all.requests()).isEqualTo(3);
        assertThat(all.errors()).isEqualTo(1);
        assertThat(window.figures("a", START.plusSeconds(1), START.plusSeconds(2)).errors()).isEqualTo(1);
    }

    @Test
    void liveFiguresCountOnlyWhatNginxTookOnLivesPortsAndAreForgottenLikeTheRest() {
        for (int port : List.of(8080, 8443, 8081)) {
            window.record(new LoggedRequest(START.toEpochMilli(), port == 8443 ? 502 : 200, 0.01, port, "b"));
        }

        assertThat(window.figures("b", START, START.plusSeconds(1)).requests()).isEqualTo(3);
        assertThat(window.liveFigures("b", START, START.plusSeconds(1))).returns(2L, Figures::requests)
                .returns(1L, Figures::errors);
        assertThat(window.liveFigures("a", START, START.plusSeconds(1))).isEqualTo(Figures.NONE);
        clock.advance(Duration.ofMinutes(16));
        assertThat(window.liveFigures("b", START, clock.instant())).isEqualTo(Figures.NONE);
    }

    @Test
    void forgetsWhatIsOlderThanFifteenMinutes() {
        request("a", START, 500, 1);
        request("a", START.plusSeconds(60), 200, 1);

        clock.advance(Duration.ofMinutes(15).minusSeconds(1));
        assertThat(window.figures("a", START, clock.instant()).requests()).isEqualTo(2);

        clock.advance(Duration.ofSeconds(1));
        var left = window.figures("a", START, clock.instant());
        assertThat(left.requests()).as("the 500 at the start has gone").isEqualTo(1);
        assertThat(left.errors()).isZero();

        clock.advance(Duration.ofMinutes(1));
        assertThat(window.figures("a", START, clock.instant())).isEqualTo(Figures.NONE);
        assertThat(window.series(15)).isEmpty();

        request("a", clock.instant().minus(Duration.ofMinutes(15)), 200, 1);
        request("a", clock.instant().plus(Duration.ofMinutes(2)), 200, 1);
        assertThat(window.series(15)).as("too old or stamped too far ahead").isEmpty();
    }

    @Test
    void seriesHasAPointEveryFiveSecondsForEachBuildWithTraffic() {
        clock.advance(Duration.ofMinutes(20));
        Instant now = clock.instant().plusMillis(2_500);
        for (int i = 0; i < 50; i++) {
            request("a", clock.instant().minusSeconds(10).plusMillis(i * 100), i < 5 ? 500 : 200, 40);
        }
        request("b", clock.instant().minusSeconds(14 * 60), 200, 10);
        request("c", clock.instant().minusSeconds(16 * 60), 200, 10);
        clock.advance(Duration.ofMillis(2_500));

        var series = window.series(15);

        assertThat(series).containsOnlyKeys("a", "b");
        List<TrafficWindow.Point> a = series.get("a");
        assertThat(a).hasSize(180);
        long current = now.getEpochSecond() / 5 * 5;
        assertThat(a.get(179).t()).isEqualTo(current);
        assertThat(a.get(0).t()).isEqualTo(current - 179 * 5);
        var busy = a.stream().filter(p -> p.rps() > 0).toList();
        assertThat(busy).extracting(TrafficWindow.Point::t).containsExactly(current - 10);
        assertThat(busy.get(0).rps()).isEqualTo(10.0);
        assertThat(busy.get(0).errorRate()).isEqualTo(0.1);
        assertThat(busy.get(0).p99()).isCloseTo(40, within(2.0));
        assertThat(a.get(179)).isEqualTo(new TrafficWindow.Point(current, 0, 0, 0));

        assertThat(window.series(1).get("a")).hasSize(12);
        assertThat(window.series(1)).doesNotContainKey("b");
    }

    @Test
    void theStepUnderWayCountsItsSecondsSoFar() {
        clock.advance(Duration.ofSeconds(1).plusMillis(500));
        for (int i = 0; i < 4; i++) {
            request("a", START.plusMillis(i * 400), 200, 1);
        }

        var current = window.series(1).get("a").get(11);
        assertThat(current.t()).isEqualTo(START.getEpochSecond());
        assertThat(current.rps()).as("4 requests in the 2 seconds begun").isEqualTo(2.0);
    }
}
