package dev.regent.spec;

import java.util.List;

/** A build step: an argument list run in the web container from the build's folder; never a shell string. */
public record Step(String name, List<String> run) {
}
