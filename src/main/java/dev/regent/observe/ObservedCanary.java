package dev.regent.observe;

import java.util.Optional;

/**
 * A build's canary files as found: {@code linked}, canary.ini is there (its pool runs while it is);
 * {@code target}, what canary-target.ini says; {@code serving}, its stats socket answers with every
 * worker accepting.
 */
public record ObservedCanary(String build, boolean linked, Optional<Target> target, boolean serving) {

    /** The router a canary attaches to ({@code of}, a build's name) and how many processes it runs. */
    public record Target(String of, int workers) {
    }

    /** Whether anything of it is left on the host. */
    public boolean present() {
        return linked || target.isPresent() || serving;
    }
}
