package dev.regent.apply;

import dev.regent.fs.HostFiles;
import dev.regent.fs.HostLayout;
import dev.regent.nginx.NginxIncludes;
import dev.regent.observe.BuildFailure;
import dev.regent.observe.MigrationRecord;
import dev.regent.observe.PromotionRecord;
import dev.regent.observe.SmokeRecord;
import dev.regent.observe.ReadyMarker;
import dev.regent.plan.Action;
import dev.regent.plan.Action.*;
import dev.regent.safety.HealthProof;
import dev.regent.safety.RoleHolders;
import dev.regent.spec.DependencySpec;
import dev.regent.spec.Step;
import dev.regent.uwsgi.StatsReader.UwsgiStats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Applies one action and confirms its effect. Every branch is idempotent and re-checks the safety
 * rule it depends on against the host as it is now, not as it was when the plan was made.
 */
public final class Executor {
    private static final String VASSAL_SKELETON = "../../../conf/uwsgi/vassal.skel";
    private static final String POOL_SKELETON = "../../../conf/uwsgi/zerg.skel";
    private final HostContext host;
    private final HostLayout layout;
    private final BuildMaker builds;
    private final Probe probe;
    private final NginxControl nginx;
    private final ReleasePhase release;
    private final ContractStep contract;
    private final SiteControl site;
    private final PromotionSteps promotions;
    private final CanarySteps canaries;
    private final Provenance provenance;
    private final FleetSteps fleet;
    private final MigrationAdoption adoption;

    public Executor(HostContext host, List<Step> steps, Consumer<String> progress) {
        this(host, steps, DependencySpec.NONE, progress);
    }

    public Executor(HostContext host, List<Step> steps, DependencySpec dependencies, Consumer<String> progress) {
        this(host, steps, dependencies, progress, Provenance.UNKNOWN);
    }

    /** provenance: where the desired state came from, written into the record of each live move. */
    public Executor(HostContext host, List<Step> steps, DependencySpec dependencies, Consumer<String> progress,
                    Provenance provenance) {
        this(host, steps, dependencies, progress, provenance, FleetSteps.NONE);
    }

    /** fleet: the effects of the fleet's rollout on its store, for a host in a fleet. */
    public Executor(HostContext host, List<Step> steps, DependencySpec dependencies, Consumer<String> progress,
                    Provenance provenance, FleetSteps fleet) {
        this.fleet = fleet;
        this.host = host;
        this.layout = host.layout();
        this.builds = new BuildMaker(host, steps, dependencies, progress);
        this.probe = new Probe(host);
        this.nginx = new NginxControl(host, probe);
        this.release = new ReleasePhase(host, probe);
        this.contract = new ContractStep(host);
        this.site = new SiteControl(host);
        this.promotions = new PromotionSteps(host, probe);
        this.canaries = new CanarySteps(host, promotions, provenance.revision());
        this.provenance = provenance;
        this.adoption = new MigrationAdoption(host);
    }

    public ActionResult apply(Action action) {
        return action.accept(new Action.Visitor<>() {
            public ActionResult removeAssembly(RemoveAssembly a) {
                HostFiles.removeTree(layout.builds().resolve(a.folder()), layout.builds());
                return ActionResult.done("removed " + a.folder());
            }
            public ActionResult createBuild(CreateBuild a) { return builds.make(a.spec()); }
            public ActionResult writeIncludes(WriteIncludes a) {
                HostFiles.writeAtomically(layout.build(a.build()).resolve(NginxIncludes.fileName(NginxIncludes.LIVE)), a.liveInclude());
                HostFiles.writeAtomically(layout.build(a.build()).resolve(NginxIncludes.fileName(NginxIncludes.STAGE)), a.stageInclude());
                return ActionResult.done("live.conf and stage.conf written");
            }
            public ActionResult linkVassal(LinkVassal a) {
                return linkAndWait(a.build(), layout.vassalIni(a.build()), VASSAL_SKELETON, layout.vassalStats(a.build()));
            }
            public ActionResult linkPool(LinkPool a) { return Executor.this.linkPool(a.build()); }
            public ActionResult reattachPool(ReattachPool a) { return Executor.this.reattachPool(a.build()); }
            public ActionResult waitHealthy(WaitHealthy a) { return Executor.this.waitHealthy(a); }
            public ActionResult migrate(Migrate a) {
                return a.fleetKey().isPresent() ? fleet.migrate(a, release::run) : release.run(a);
            }
            public ActionResult warmUp(WarmUp a) { return Executor.this.warmUp(a); }
            public ActionResult swapLive(SwapLive a) {
                String trigger = a.approvedBy().isPresent() ? "approval" : provenance.trigger();
                return pointRole(HostLayout.LIVE, a.build(), a.confirm(),
                        () -> promotions.recordMove(a.build(), provenance.revision(), trigger));
            }
            public ActionResult pointStage(PointStage a) { return pointRole(HostLayout.STAGE, a.build(), a.confirm(), () -> { }); }
            public ActionResult reloadNginx(ReloadNginx a) { return nginx.reload(a.live(), a.stage(), a.strategy()); }
            public ActionResult unlinkPool(UnlinkPool a) {
                return unlinkAndWait(a.build(), layout.poolIni(a.build()), layout.poolStats(a.build()));
            }
            public ActionResult unlinkVassal(UnlinkVassal a) {
                return unlinkAndWait(a.build(), layout.vassalIni(a.build()), layout.vassalStats(a.build()));
            }
            public ActionResult removeBuild(RemoveBuild a) { return remove(a.build()); }
            public ActionResult postMigrate(PostMigrate a) { return contract.run(a); }
            public ActionResult applySite(ApplySite a) { return site.apply(a); }
            public ActionResult rollBack(RollBack a) { return Executor.this.rollBack(a); }
            public ActionResult releasePin(ReleasePin a) { return promotions.release(a); }
            public ActionResult smokeCheck(SmokeCheck a) { return promotions.smoke(a); }
            public ActionResult attachCanary(AttachCanary a) { return canaries.attach(a); }
            public ActionResult passCanary(PassCanary a) { return canaries.pass(a); }
            public ActionResult failCanary(FailCanary a) { return canaries.fail(a); }
            public ActionResult withdrawCanary(WithdrawCanary a) { return canaries.withdraw(a); }
            public ActionResult queueForRollout(QueueForRollout a) { return fleet.queue(a); }
            public ActionResult releaseRolloutSlot(ReleaseRolloutSlot a) { return fleet.release(a); }
            public ActionResult haltRollout(HaltRollout a) { return fleet.halt(a); }
            public ActionResult leadMigration(LeadMigration a) { return fleet.lead(a); }
            public ActionResult adoptMigration(AdoptMigration a) { return adoption.adopt(a); }
            public ActionResult recordMigration(RecordMigration a) { return fleet.record(a); }
        });
    }

    private ActionResult linkAndWait(String build, Path link, String skeleton, Path stats) {
        boolean changed = HostFiles.pointLink(link, skeleton);
        boolean up = host.waiter().until(host.timeouts().processUp(), () -> host.stats().read(stats).isPresent());
        if (!up) {
            return ActionResult.failed(link.getFileName() + " of build " + build + " is linked but its process did not come up within "
                    + host.timeouts().processUp().toSeconds() + " s (no answer on " + stats.getFileName()
                    + "); see the web container's log");
        }
        return ActionResult.done(changed ? "linked, running" : "already linked, running");
    }

    /**
     * A graceful reload (SIGHUP) of the pool's master: the reloaded pool asks the zerg server for the
     * router's socket again. The old proofs are dropped after the signal, so a crash in between only
     * repeats the signal; the health check that follows makes the new proof.
     */
    private ActionResult reattachPool(String build) {
        Optional<UwsgiStats> pool = host.stats().read(layout.poolStats(build));
        if (pool.isEmpty()) {
            return ActionResult.failed("build " + build + " has no running pool to re-attach");
        }
        var signal = host.execIn("web", List.of("bash", "-c", "kill -HUP \"$1\"", "regent", String.valueOf(pool.get().pid())),
                Optional.empty(), java.util.Map.of(), host.timeouts().nginx());
        if (signal.exitCode() != 0) {
            return ActionResult.failed("could not signal the pool master " + pool.get().pid() + " of build " + build
                    + ": " + signal.output().strip());
        }
        try {
            for (String kind : List.of(ReadyMarker.HEALTHY, ReadyMarker.WARM)) {
                Files.deleteIfExists(layout.marker(build, kind));
            }
        } catch (IOException e) {
            return ActionResult.failed("could not drop the old health proofs of build " + build + ": " + e.getMessage());
        }
        return ActionResult.done("reloaded pool master " + pool.get().pid());
    }

    /** Links the pool and waits, up to the health deadline, until all its workers accept; see {@link PoolDeadline}. */
    private ActionResult linkPool(String build) {
        boolean changed = HostFiles.pointLink(layout.poolIni(build), POOL_SKELETON);
        var deadline = new PoolDeadline(host, build);
        boolean up = host.waiter().until(host.timeouts().healthy(), () -> {
            deadline.poll();
            return host.stats().read(layout.poolStats(build)).filter(UwsgiStats::allAccepting).isPresent();
        });
        if (!up) {
            return deadline.poolDidNotStart("the worker pool of build " + build + " did not come up within "
                    + host.timeouts().healthy().toSeconds() + " s (no answer on " + build + "-pool.stats)");
        }
        return ActionResult.done(changed ? "linked, running" : "already linked, running");
    }

    private ActionResult waitHealthy(WaitHealthy a) {
        String url = "http://127.0.0.1:" + a.port() + a.healthPath();
        var deadline = new PoolDeadline(host, a.build());
        var last = new Object() { Optional<Probe.Answer> answer = Optional.empty(); int pid = -1; int routerPid = 0; boolean poolUp; };
        boolean healthy = host.waiter().until(host.timeouts().healthy(), () -> {
            deadline.poll();
            Optional<UwsgiStats> pool = host.stats().read(layout.poolStats(a.build()));
            last.poolUp = pool.filter(UwsgiStats::allAccepting).isPresent();
            if (!last.poolUp) {
                return false;
            }
            last.pid = pool.get().pid();
            last.routerPid = host.stats().read(layout.vassalStats(a.build())).map(UwsgiStats::pid).orElse(0);
            last.answer = probe.get("web", url);
            // A pool being reloaded (ReattachPool) may answer its stats path from the old master
            // while the new one serves: the proof must name the pid that still answers after the probe.
            return last.answer.filter(x -> x.ok() && x.build().equals(a.build())).isPresent()
                    && host.stats().read(layout.poolStats(a.build())).map(UwsgiStats::pid).orElse(-1) == last.pid;
        });
        if (!healthy && !last.poolUp) {
            return deadline.poolDidNotStart("the worker pool of build " + a.build() + " was not up with every worker "
                    + "accepting at the end of " + host.timeouts().healthy().toSeconds() + " s");
        }
        if (!healthy) {
            return deadline.unhealthy("GET " + url + " did not pass within " + host.timeouts().healthy().toSeconds()
                    + " s while the pool's workers accepted; last answer: " + last.answer
                    .map(x -> "HTTP " + x.status() + " from build '" + x.build() + "'")
                    .orElse("none (refused, or nothing within 5 s)"));
        }
        HostFiles.writeJson(layout.marker(a.build(), ReadyMarker.HEALTHY), new ReadyMarker(last.pid, last.routerPid, host.clock().instant()));
        return ActionResult.done("HTTP " + last.answer.get().status() + " from " + url);
    }

    private ActionResult warmUp(WarmUp a) {
        Optional<UwsgiStats> pool = host.stats().read(layout.poolStats(a.build()));
        if (pool.isEmpty()) {
            return ActionResult.failed("build " + a.build() + " has no running pool to warm up");
        }
        int answered = probe.warmUp(a.port(), a.path());
        if (answered == 0) {
            return ActionResult.failed("warm-up of build " + a.build() + ": no request succeeded");
        }
        HostFiles.writeJson(layout.marker(a.build(), ReadyMarker.WARM), new ReadyMarker(pool.get().pid(), host.clock().instant()));
        return ActionResult.done(answered + " requests answered");
    }

    /**
     * The same move as a promotion, after the pin is on disk: a crash between the two leaves a pin
     * that makes the next plan finish the rollback.
     */
    private ActionResult rollBack(RollBack a) {
        Optional<String> unpinned = promotions.pin(a.pin());
        if (unpinned.isPresent()) {
            return ActionResult.failed("live stays at build " + a.pin().build() + ": the pin could not be written: "
                    + unpinned.get());
        }
        return pointRole(HostLayout.LIVE, a.build(), a.confirm(),
                () -> promotions.recordMove(a.build(), a.pin().revision(), PromotionRecord.ROLLBACK));
    }

    /**
     * Moves a role by one atomic rename, only to a build the {@link HealthProof} rule proves now.
     * {@code beforeRename} runs once every check passed, just before the rename.
     */
    private ActionResult pointRole(String role, String build, boolean confirm, Runnable beforeRename) {
        HealthProof proof = HealthProof.of(ReadyMarker.read(layout, build, ReadyMarker.HEALTHY),
                host.stats().read(layout.poolStats(build)), host.stats().read(layout.vassalStats(build)));
        if (proof != HealthProof.PROVEN) {
            return ActionResult.failed("refusing to point " + role + " at build " + build + ": " + proof.meaning());
        }
        if (!confirm) {
            // A reload must follow this move; with a config nginx rejects it could not, and the link
            // would name a build nginx does not serve. Test before moving.
            Optional<String> rejected = nginx.testConfig();
            if (rejected.isPresent()) {
                return ActionResult.failed(role + " stays where it is: nginx -t rejects the current config, so the reload "
                        + "that must follow would fail:\n" + rejected.get());
            }
        }
        beforeRename.run();
        boolean changed = HostFiles.pointLink(layout.role(role), build);
        String detail = changed ? role + " -> " + build : role + " already -> " + build;
        if (!confirm) {
            return ActionResult.done(detail);
        }
        int port = role.equals(HostLayout.LIVE) ? NginxControl.LIVE_PORT : NginxControl.STAGE_PORT;
        boolean serving = host.waiter().until(host.timeouts().nginx(), () -> nginx.serves(port, Optional.of(build)));
        return serving ? ActionResult.done(detail + ", nginx serves it")
                : ActionResult.failed(role + " points at build " + build + " but nginx does not serve it within "
                        + host.timeouts().nginx().toSeconds() + " s");
    }

    private ActionResult unlinkAndWait(String build, Path link, Path stats) {
        Optional<String> refusal = RoleHolders.onDisk(layout).refusal(build);
        if (refusal.isPresent()) {
            return ActionResult.failed("refusing to stop build " + build + ": " + refusal.get());
        }
        boolean changed = HostFiles.removeLink(link);
        boolean down = host.waiter().until(host.timeouts().processDown(), () -> host.stats().read(stats).isEmpty());
        if (!down) {
            return ActionResult.failed(link.getFileName() + " of build " + build + " is unlinked but its process still answers after "
                    + host.timeouts().processDown().toSeconds() + " s");
        }
        return ActionResult.done(changed ? "stopped" : "already stopped");
    }

    private ActionResult remove(String build) {
        Optional<String> refusal = RoleHolders.onDisk(layout).refusal(build);
        if (refusal.isPresent()) {
            return ActionResult.failed("refusing to remove build " + build + ": " + refusal.get());
        }
        try {
            for (String kind : List.of(ReadyMarker.HEALTHY, ReadyMarker.WARM, BuildFailure.KIND, MigrationRecord.KIND,
                    SmokeRecord.KIND)) {
                Files.deleteIfExists(layout.marker(build, kind));
            }
        } catch (IOException e) {
            return ActionResult.failed("could not remove the markers of build " + build + ": " + e.getMessage());
        }
        HostFiles.removeTree(layout.build(build), layout.builds());
        HostFiles.removeTree(layout.staticRoot(build), layout.deploy());
        return ActionResult.done("folder and static files removed");
    }
}
