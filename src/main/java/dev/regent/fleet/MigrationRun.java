package dev.regent.fleet;

import java.time.Instant;

/** The result of a revision's migration, as the host that ran it recorded it for the fleet. */
public record MigrationRun(String revision, String host, boolean succeeded, String output, Instant at) {
}
