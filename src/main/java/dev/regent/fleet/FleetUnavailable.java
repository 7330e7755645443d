package dev.regent.fleet;

/** The fleet store could not answer in time (unreachable, no quorum). Nothing was decided. */
public class FleetUnavailable extends Exception {

    public FleetUnavailable(String message, Throwable cause) {
        super(message, cause);
    }

    public FleetUnavailable(String message) {
        super(message);
    }
}
