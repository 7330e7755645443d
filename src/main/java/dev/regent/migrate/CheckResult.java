package dev.regent.migrate;

import java.util.List;

/**
 * refused: violations of migrations not opted in (nothing may run); allowed: violations the desired
 * state opted in for by migration name (they run, and make older builds unsafe to roll back to).
 */
public record CheckResult(List<Violation> refused, List<Violation> allowed) {

    public boolean passes() {
        return refused.isEmpty();
    }

    /** The opted-in breaking migrations, each once, in plan order. */
    public List<String> allowedMigrations() {
        return allowed.stream().map(Violation::migration).distinct().toList();
    }
}
