package dev.regent.traffic;

import java.time.Instant;

/** Read side of the traffic nginx logged, per build (the X-Regent-Build that answered). */
public interface TrafficView {
    TrafficView NONE = (build, from, to) -> Figures.NONE;

    /** The build's figures for requests that ended in [from, to). */
    Figures figures(String build, Instant from, Instant to);

    /**
     * As {@link #figures}, counting only requests nginx took on live's ports ({@link LoggedRequest#servedLive()}):
     * for a build that is not live, the share of live its canary served.
     */
    default Figures liveFigures(String build, Instant from, Instant to) {
        return figures(build, from, to);
    }
}
