package dev.regent.spec;

import java.util.Arrays;
import java.util.Optional;

/**
 * How a role (live, stage) moves to another build.
 * SOCKET: nginx reaches each role through {@code deploy/builds/_live/router.sock} (and
 * {@code _stage/...}), a path resolved at every new upstream connection, so renaming the role's
 * symlink is the whole promotion: no reload, no process started or stopped.
 * RELOAD: the seed's way: each build's include names its own port; a promotion reloads nginx.
 */
public enum Strategy {
    SOCKET("socket"),
    RELOAD("reload");

    private final String word;

    Strategy(String word) {
        this.word = word;
    }

    public String word() {
        return word;
    }

    public static Optional<Strategy> of(String word) {
        return Arrays.stream(values()).filter(s -> s.word.equals(word)).findFirst();
    }

    public static Optional<String> problem(String word) {
        return of(word).isPresent() ? Optional.empty()
                : Optional.of("strategy \"" + word + "\" is unknown; use socket (reload-free, the default) or reload (the seed's nginx reload)");
    }
}
