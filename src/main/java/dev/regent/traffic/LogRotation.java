package dev.regent.traffic;

/**
 * Moves the traffic log to access.log.1 (replacing the previous one) and has its writer start a new
 * access.log. Throws when that could not be done; the caller tries again on a later tick.
 */
@FunctionalInterface
public interface LogRotation {
    void rotate();
}
