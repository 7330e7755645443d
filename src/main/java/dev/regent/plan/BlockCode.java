package dev.regent.plan;

import com.fasterxml.jackson.annotation.JsonValue;

/** What kind of thing holds a plan back: a status condition's {@code reason}, for scripts and alerts. */
public enum BlockCode {
    /** The web container is not running. */
    WEB_DOWN("WebDown"),
    /** The nginx container is not running. */
    NGINX_DOWN("NginxDown"),
    /** A file a safety rule reads exists but cannot be read: nothing is changed until it is repaired. */
    UNREADABLE_STATE("UnreadableState"),
    /** A build failed (a build step, its pool's start or its health check) and is not tried again. */
    BUILD_FAILED("BuildFailed"),
    /** A folder in deploy/builds has a build's name but is not a complete Regent build. */
    FOREIGN_FOLDER("ForeignFolder"),
    /** A role waits for its build to be healthy and warm. */
    NOT_READY("NotReady"),
    /** Promoting to live waits for a sync window. */
    SYNC_WINDOW("SyncWindow"),
    /** A build that is to be stopped or removed still holds a role. */
    ROLE_HELD("RoleHeld"),
    /** Live would move to a build whose code does not know a breaking migration applied since. */
    UNSAFE_ROLLBACK("UnsafeRollback"),
    /** The live build's contract step (postMigrate) failed or was interrupted; it runs again only for another argument list. */
    POST_MIGRATE_FAILED("PostMigrateFailed"),
    /** The site's certificate files may not be served (unreadable, key mismatch, expired, a name not covered): nginx keeps what it has. */
    SITE_REFUSED("SiteRefused"),
    /** The site config waits for a plan that moves no role (it is never applied during a promotion). */
    SITE_WAITING("SiteWaiting"),
    /** Live is held at the build a failed analysis rolled back to, while the desired live is the rolled-back build. */
    ROLLED_BACK("RolledBack"),
    /** The new live build failed its analysis, but there is no warm previous build to roll back to. */
    ANALYSIS_FAILED("AnalysisFailed"),
    /** A smoke path did not answer 2xx on the build live would move to; retried when the build or the paths change. */
    SMOKE_FAILED("SmokeFailed"),
    /** spec.promotion.requireApproval: live waits for `regent approve BUILD`. */
    AWAITING_APPROVAL("AwaitingApproval"),
    /** spec.promotion.canary: live waits while a canary of the build it moves to serves a share of live and is judged. */
    CANARY("Canary"),
    /** A fleet's rollout: live waits for its turn (hosts before it in the rollout order, or a free slot). */
    FLEET_WAITING("FleetWaiting"),
    /** A fleet's rollout: the revision's rollout halted at a host whose move or checks failed; live stays. */
    FLEET_HALTED("FleetHalted"),
    /** A fleet's rollout: the fleet file pauses or drains this host, so live never moves. */
    FLEET_PAUSED("FleetPaused"),
    /** A fleet's rollout: the fleet store did not answer, so live does not move until it does. */
    FLEET_UNAVAILABLE("FleetUnavailable"),
    /** A fleet's migration: the build waits while another host of the fleet migrates the database for its code. */
    FLEET_MIGRATION("FleetMigration");

    private final String reason;

    BlockCode(String reason) {
        this.reason = reason;
    }

    @JsonValue
    public String reason() {
        return reason;
    }
}
