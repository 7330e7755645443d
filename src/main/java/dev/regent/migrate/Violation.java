package dev.regent.migrate;

/** An operation that would break the build now live: which migration, which operation, and why. */
public record Violation(String migration, String operation, String why) {

    public String describe() {
        return migration + ": " + operation + ": " + why;
    }
}
