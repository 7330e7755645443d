package dev.regent.plan;

/**
 * The one ordering of a plan: clean up, build before link, vassal before pool, healthy before
 * warm, a pool re-attached before its health is proven again, migrated after healthy and before
 * warm (the warm-up already runs against the new schema), warm before any role moves, smoke-checked
 * after warm and before live moves to it (a rollback moves it back, in its own phase), a canary
 * after the smoke check and before live moves (its verdict decides whether live moves; one no plan
 * wants is withdrawn before another is attached), live before stage (so live is never missing), nginx after the
 * links, and only then retire what no role needs. The contract step (postMigrate) comes last: it
 * gates nothing, so it never delays a role move or the stop of a retired build, and the old builds
 * this plan stops are stopped before it changes the schema under them. The site config (spec.site)
 * is applied only by a plan that moves no role, so it comes after the nginx reload of the roles.
 * In a fleet, a host joins the rollout's slot queue last before live moves (every other step of the
 * move is done, so it holds a slot no longer than the move needs); a halt and the release of a slot
 * come first, as soon as the move they end has settled (the planner waits for that), so the other
 * hosts are never held back by this host's builds: the halt before the release, so no other host
 * takes the freed slot before the halt is visible. A migration result this host owes the fleet is
 * recorded as early, for the same reason: the other hosts wait for it. A build's fleet migration (its
 * lead asked for, or the leader's result adopted) takes the place of its own release phase.
 */
public enum Phase {
    CLEAN_UP,
    RELEASE_PIN,
    HALT_ROLLOUT,
    RELEASE_ROLLOUT_SLOT,
    RECORD_MIGRATION,
    CREATE,
    CONFIGURE,
    LINK_VASSAL,
    LINK_POOL,
    REATTACH_POOL,
    WAIT_HEALTHY,
    LEAD_MIGRATION,
    ADOPT_MIGRATION,
    MIGRATE,
    WARM_UP,
    SMOKE,
    WITHDRAW_CANARY,
    ATTACH_CANARY,
    FAIL_CANARY,
    PASS_CANARY,
    ROLL_BACK,
    QUEUE_FOR_ROLLOUT,
    SWAP_LIVE,
    POINT_STAGE,
    RELOAD_NGINX,
    APPLY_SITE,
    UNLINK_POOL,
    UNLINK_VASSAL,
    REMOVE,
    POST_MIGRATE
}
