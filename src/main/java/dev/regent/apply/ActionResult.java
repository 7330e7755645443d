package dev.regent.apply;

/** What applying one action did: done (with what changed) or failed (with why). */
public sealed interface ActionResult {
    record Done(String detail) implements ActionResult {
    }

    record Failed(String reason) implements ActionResult {
    }

    static ActionResult done(String detail) {
        return new Done(detail);
    }

    static ActionResult failed(String reason) {
        return new Failed(reason);
    }
}
