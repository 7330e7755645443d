package dev.regent.analysis;

import dev.regent.traffic.Figures;
import java.time.Instant;

/** What the analysis of a new live build says now. */
public sealed interface Verdict {

    /** Still watching: judge again at {@code lookAgainAt}, when the next interval's figures are in. */
    record Running(Instant lookAgainAt, int judged, int failed) implements Verdict {
    }

    /** The window is over without enough failed intervals: the build stays. */
    record Passed(int judged, int failed) implements Verdict {
    }

    /** Roll back: {@code reason} for people, {@code figures} what the build served over the judged intervals. */
    record Failed(String reason, Figures figures) implements Verdict {
    }
}
