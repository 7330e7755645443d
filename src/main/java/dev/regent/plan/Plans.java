package dev.regent.plan;

import dev.regent.observe.ObservedHost;
import dev.regent.spec.DesiredState;
import dev.regent.spec.SyncWindow;
import java.time.Clock;

/** The one way to ask "what is the plan as of now": the pure planner with the sync windows read at the clock's instant. */
public final class Plans {

    private Plans() {
    }

    public static Plan now(DesiredState desired, ObservedHost observed, Clock clock) {
        var now = clock.instant();
        return Planner.plan(desired, observed, SyncWindow.promotionBlocked(desired.syncWindows(), now), now);
    }
}
