package dev.regent.traffic;

import java.time.Instant;

/** Read side of the traffic nginx logged, per build (the X-Regent-Build that answered). */
public interface TrafficView {
    TrafficView NONE = (build, from, to) -> Figures.NONE;

    /** The build's figures for requests that ended in [from, to). */
    Figures figures(String build, Instant from, Instant to);
}
