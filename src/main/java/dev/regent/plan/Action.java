package dev.regent.plan;

import dev.regent.fleet.MigrationRun;
import dev.regent.observe.Pin;
import dev.regent.spec.EffectiveBuild;
import dev.regent.spec.MigrationSpec;
import dev.regent.spec.Strategy;
import java.util.List;
import java.util.Optional;

/** One step towards the desired state. Each is idempotent: applied twice, the second does nothing. */
public sealed interface Action {

    Phase phase();

    /** Reads as the end of "Regent will ...". */
    String describe();

    /** The build the action is about. */
    String build();

    <R> R accept(Visitor<R> visitor);

    /**
     * One method per kind of action. Java 17 has no pattern switch, so this is how the executor
     * handles every kind: a new kind without a handler does not compile.
     */
    interface Visitor<R> {
        R removeAssembly(RemoveAssembly a);
        R createBuild(CreateBuild a);
        R writeIncludes(WriteIncludes a);
        R linkVassal(LinkVassal a);
        R linkPool(LinkPool a);
        R reattachPool(ReattachPool a);
        R waitHealthy(WaitHealthy a);
        R migrate(Migrate a);
        R warmUp(WarmUp a);
        R swapLive(SwapLive a);
        R pointStage(PointStage a);
        R reloadNginx(ReloadNginx a);
        R unlinkPool(UnlinkPool a);
        R unlinkVassal(UnlinkVassal a);
        R removeBuild(RemoveBuild a);
        R postMigrate(PostMigrate a);
        R applySite(ApplySite a);
        R rollBack(RollBack a);
        R releasePin(ReleasePin a);
        R smokeCheck(SmokeCheck a);
        R attachCanary(AttachCanary a);
        R passCanary(PassCanary a);
        R failCanary(FailCanary a);
        R withdrawCanary(WithdrawCanary a);
        R queueForRollout(QueueForRollout a);
        R releaseRolloutSlot(ReleaseRolloutSlot a);
        R haltRollout(HaltRollout a);
        R leadMigration(LeadMigration a);
        R adoptMigration(AdoptMigration a);
        R recordMigration(RecordMigration a);
    }

    record RemoveAssembly(String build, String folder) implements Action {
        public <R> R accept(Visitor<R> v) { return v.removeAssembly(this); }
        public Phase phase() { return Phase.CLEAN_UP; }
        public String describe() { return "remove the unfinished folder " + folder + " of build " + build; }
    }

    record CreateBuild(EffectiveBuild spec) implements Action {
        public <R> R accept(Visitor<R> v) { return v.createBuild(this); }
        public Phase phase() { return Phase.CREATE; }
        public String build() { return spec.name(); }
        public String describe() { return "create build " + spec.name() + " from " + spec.path() + " at " + spec.ref(); }
    }

    record WriteIncludes(String build, String liveInclude, String stageInclude) implements Action {
        public <R> R accept(Visitor<R> v) { return v.writeIncludes(this); }
        public Phase phase() { return Phase.CONFIGURE; }
        public String describe() { return "write the nginx includes of build " + build; }
    }

    record LinkVassal(String build) implements Action {
        public <R> R accept(Visitor<R> v) { return v.linkVassal(this); }
        public Phase phase() { return Phase.LINK_VASSAL; }
        public String describe() { return "link the vassal of build " + build; }
    }

    record LinkPool(String build) implements Action {
        public <R> R accept(Visitor<R> v) { return v.linkPool(this); }
        public Phase phase() { return Phase.LINK_POOL; }
        public String describe() { return "link the worker pool of build " + build; }
    }

    /** The pool outlived a respawn of its router: a graceful reload makes it attach to the new one. */
    record ReattachPool(String build) implements Action {
        public <R> R accept(Visitor<R> v) { return v.reattachPool(this); }
        public Phase phase() { return Phase.REATTACH_POOL; }
        public String describe() { return "re-attach the worker pool of build " + build + " to its respawned router"; }
    }

    record WaitHealthy(String build, int port, String healthPath) implements Action {
        public <R> R accept(Visitor<R> v) { return v.waitHealthy(this); }
        public Phase phase() { return Phase.WAIT_HEALTHY; }
        public String describe() { return "wait until build " + build + " answers " + healthPath + " on port " + port; }
    }

    /**
     * The release phase of a build about to take its first role: describe, check, apply its pending
     * migrations, then prove {@code live} (the build serving now, if another) still answers. In a fleet,
     * {@code fleetKey} names the migration this host leads: its result is recorded for the fleet.
     */
    record Migrate(String build, Optional<LiveCheck> live, MigrationSpec settings, Optional<String> fleetKey)
            implements Action {
        public Migrate(String build, Optional<LiveCheck> live, MigrationSpec settings) {
            this(build, live, settings, Optional.empty());
        }
        public <R> R accept(Visitor<R> v) { return v.migrate(this); }
        public Phase phase() { return Phase.MIGRATE; }
        public String describe() {
            return "migrate the database for build " + build + live.map(l -> " (then prove live build " + l.build()
                    + " still answers)").orElse("");
        }
    }

    /** How the live build is proven: its health check, then its warm-up path, on its own port. */
    record LiveCheck(String build, int port, String healthPath) {
    }

    record WarmUp(String build, int port, String path) implements Action {
        public <R> R accept(Visitor<R> v) { return v.warmUp(this); }
        public Phase phase() { return Phase.WARM_UP; }
        public String describe() { return "warm up build " + build + " on port " + port + " (" + path + ")"; }
    }

    /**
     * confirm: check through nginx that the role moved, when no reload follows to confirm it.
     * approvedBy: who approved the build, when spec.promotion.requireApproval gated this move.
     */
    record SwapLive(String build, Optional<String> from, boolean confirm, Optional<String> approvedBy) implements Action {
        public SwapLive(String build, Optional<String> from, boolean confirm) {
            this(build, from, confirm, Optional.empty());
        }
        public <R> R accept(Visitor<R> v) { return v.swapLive(this); }
        public Phase phase() { return Phase.SWAP_LIVE; }
        public String describe() { return "make build " + build + " live" + from.map(f -> " (was " + f + ")").orElse(""); }
    }

    record PointStage(String build, Optional<String> from, boolean confirm) implements Action {
        public <R> R accept(Visitor<R> v) { return v.pointStage(this); }
        public Phase phase() { return Phase.POINT_STAGE; }
        public String describe() { return "link build " + build + " as stage" + from.map(f -> " (was " + f + ")").orElse(""); }
    }

    record ReloadNginx(Optional<String> live, Optional<String> stage, Strategy strategy) implements Action {
        public <R> R accept(Visitor<R> v) { return v.reloadNginx(this); }
        public Phase phase() { return Phase.RELOAD_NGINX; }
        public String build() { return live.orElse("-"); }
        public String describe() {
            return "reload nginx to serve live " + live.orElse("(none)") + ", stage " + stage.orElse("(none)");
        }
    }

    record UnlinkPool(String build) implements Action {
        public <R> R accept(Visitor<R> v) { return v.unlinkPool(this); }
        public Phase phase() { return Phase.UNLINK_POOL; }
        public String describe() { return "stop the worker pool of build " + build; }
    }

    record UnlinkVassal(String build) implements Action {
        public <R> R accept(Visitor<R> v) { return v.unlinkVassal(this); }
        public Phase phase() { return Phase.UNLINK_VASSAL; }
        public String describe() { return "stop the vassal of build " + build; }
    }

    record RemoveBuild(String build) implements Action {
        public <R> R accept(Visitor<R> v) { return v.removeBuild(this); }
        public Phase phase() { return Phase.REMOVE; }
        public String describe() { return "remove build " + build; }
    }

    /**
     * The contract step (spec.migrations.postMigrate, in {@code settings}) of the live build, once
     * none of {@code waitedFor} (the builds that served when it migrated) holds a role. Its outcome is
     * recorded in the build's migration record; a failure holds nothing back.
     */
    record PostMigrate(String build, List<String> waitedFor, MigrationSpec settings) implements Action {
        public PostMigrate {
            waitedFor = List.copyOf(waitedFor);
        }
        public <R> R accept(Visitor<R> v) { return v.postMigrate(this); }
        public Phase phase() { return Phase.POST_MIGRATE; }
        public String describe() {
            return "run the contract step of build " + build + " (postMigrate: " + String.join(" ", settings.postMigrate()) + ")";
        }
    }

    /**
     * Makes nginx serve spec.site: {@code config} (SiteConfig.render; empty: remove the site) with the
     * certificate files whose fingerprint is {@code certificateFingerprint}, by a tested reload.
     * {@code why} says what changed, for people.
     */
    record ApplySite(Optional<String> config, Optional<String> certificateFingerprint, String why) implements Action {
        public <R> R accept(Visitor<R> v) { return v.applySite(this); }
        public Phase phase() { return Phase.APPLY_SITE; }
        public String build() { return "-"; }
        public String describe() {
            return config.isEmpty() ? "remove the site config (" + why + ") and reload nginx"
                    : "apply the site config (" + why + ") with a tested nginx reload";
        }
    }

    /**
     * Swaps live back to {@code build} (still warm) from {@code pin.build()}, whose analysis failed: the
     * pin is written first (it holds live there until the desired live changes), then live moves by the
     * same atomic rename as any promotion.
     */
    record RollBack(String build, Pin pin, boolean confirm) implements Action {
        public <R> R accept(Visitor<R> v) { return v.rollBack(this); }
        public Phase phase() { return Phase.ROLL_BACK; }
        public String describe() {
            return "roll live back to build " + build + " (build " + pin.build() + " was rolled back: " + pin.reason() + ")";
        }
    }

    /** The desired live is no longer {@code build}: its pin no longer holds anything. */
    record ReleasePin(String build) implements Action {
        public <R> R accept(Visitor<R> v) { return v.releasePin(this); }
        public Phase phase() { return Phase.RELEASE_PIN; }
        public String describe() { return "release the rollback pin on build " + build + " (the desired live changed)"; }
    }

    /** spec.promotion.smoke: each path must answer 2xx {@code requests} times on the build's own port; the result is recorded. */
    record SmokeCheck(String build, int port, List<String> paths, int requests) implements Action {
        public SmokeCheck {
            paths = List.copyOf(paths);
        }
        public <R> R accept(Visitor<R> v) { return v.smokeCheck(this); }
        public Phase phase() { return Phase.SMOKE; }
        public String describe() {
            return "smoke-check build " + build + " on port " + port + " (" + String.join(", ", paths) + ", " + requests + " each)";
        }
    }

    /**
     * spec.promotion.canary: a pool of {@code build} with {@code workers} processes attached to live build
     * {@code of}'s router (canary-target.ini written, then canary.ini linked), recorded once it serves.
     * Touches only {@code build}'s canary files, never {@code of}'s own pool.
     */
    record AttachCanary(String build, String of, int workers) implements Action {
        public <R> R accept(Visitor<R> v) { return v.attachCanary(this); }
        public Phase phase() { return Phase.ATTACH_CANARY; }
        public String describe() {
            return "attach a canary of build " + build + " (" + workers + (workers == 1 ? " worker" : " workers")
                    + ") to live build " + of + "'s router";
        }
    }

    /** The canary passed its analysis: recorded as passed first, then withdrawn; live moves to {@code build} next. */
    record PassCanary(String build, String of) implements Action {
        public <R> R accept(Visitor<R> v) { return v.passCanary(this); }
        public Phase phase() { return Phase.PASS_CANARY; }
        public String describe() {
            return "withdraw the canary of build " + build + " from build " + of + "'s router: it passed its analysis";
        }
    }

    /**
     * The canary failed its analysis: the pin first (live stays at {@code pin.from()} while the desired
     * live is {@code build}), then the canary is withdrawn. Live never moved, so nothing swaps back.
     */
    record FailCanary(String build, Pin pin) implements Action {
        public <R> R accept(Visitor<R> v) { return v.failCanary(this); }
        public Phase phase() { return Phase.FAIL_CANARY; }
        public String describe() {
            return "withdraw the canary of build " + build + " and pin it (" + pin.reason() + ")";
        }
    }

    /** A canary no plan wants (left by a crash, or its build or live changed): withdrawn and its record dropped. */
    record WithdrawCanary(String build, String why) implements Action {
        public <R> R accept(Visitor<R> v) { return v.withdrawCanary(this); }
        public Phase phase() { return Phase.WITHDRAW_CANARY; }
        public String describe() { return "withdraw the canary of build " + build + " (" + why + ")"; }
    }

    /**
     * A fleet's rollout: joins the slot queue of {@code revision} (at most {@code maxParallel} hosts hold a
     * slot), so live may move to {@code build} once this host holds one. Live does not move here.
     */
    record QueueForRollout(String build, String revision, int maxParallel) implements Action {
        public <R> R accept(Visitor<R> v) { return v.queueForRollout(this); }
        public Phase phase() { return Phase.QUEUE_FOR_ROLLOUT; }
        public String describe() {
            return "join the rollout queue of revision " + PromotionGuard.shortRevision(revision) + " to make build " + build
                    + " live";
        }
    }

    /** A fleet's rollout: leaves the slot queue of {@code revision}, freeing the slot this host held; {@code why} for people. */
    record ReleaseRolloutSlot(String revision, String why) implements Action {
        public <R> R accept(Visitor<R> v) { return v.releaseRolloutSlot(this); }
        public Phase phase() { return Phase.RELEASE_ROLLOUT_SLOT; }
        public String build() { return "-"; }
        public String describe() {
            return "release the rollout slot of revision " + PromotionGuard.shortRevision(revision) + " (" + why + ")";
        }
    }

    /**
     * A fleet's rollout: this host's move to {@code revision} or its checks after it failed: the halt is
     * written (unless one stands) so no other host moves to the revision; its slot is released after.
     */
    record HaltRollout(String revision, String reason) implements Action {
        public <R> R accept(Visitor<R> v) { return v.haltRollout(this); }
        public Phase phase() { return Phase.HALT_ROLLOUT; }
        public String build() { return "-"; }
        public String describe() {
            return "halt the rollout of revision " + PromotionGuard.shortRevision(revision) + " (" + reason + ")";
        }
    }

    /**
     * A fleet's migration: asks for the lead of {@code key} (the migrations of build's code run once per
     * fleet, by the host that leads); the host that gets it migrates in a later step, the others wait.
     */
    record LeadMigration(String build, String key) implements Action {
        public <R> R accept(Visitor<R> v) { return v.leadMigration(this); }
        public Phase phase() { return Phase.LEAD_MIGRATION; }
        public String describe() {
            return "ask to lead the fleet's migration of the database for build " + build + " (" + key + ")";
        }
    }

    /**
     * A fleet's migration another host ran: marks the build migrated by it (no migration runs here), or
     * failed with its output.
     */
    record AdoptMigration(String build, MigrationRun run) implements Action {
        public <R> R accept(Visitor<R> v) { return v.adoptMigration(this); }
        public Phase phase() { return Phase.ADOPT_MIGRATION; }
        public String describe() {
            return (run.succeeded() ? "mark build " + build + " migrated by " : "mark build " + build + " failed: the migrations failed on ")
                    + run.host() + " (" + run.revision() + ")";
        }
    }

    /** A fleet's migration this host ran: records its result in the store, which the other hosts wait for. */
    record RecordMigration(MigrationRun run) implements Action {
        public <R> R accept(Visitor<R> v) { return v.recordMigration(this); }
        public Phase phase() { return Phase.RECORD_MIGRATION; }
        public String build() { return "-"; }
        public String describe() {
            return "record for the fleet that the migrations of " + run.revision() + (run.succeeded() ? " succeeded" : " failed");
        }
    }
}
