package dev.regent.fleet;

/** The result of moving live: moved with its checks passed, or failed (the move or a check) with the reason. */
public sealed interface MoveOutcome {

    static MoveOutcome passed() {
        return new Passed();
    }

    static MoveOutcome failed(String reason) {
        return new Failed(reason);
    }

    record Passed() implements MoveOutcome {
    }

    record Failed(String reason) implements MoveOutcome {
    }
}
