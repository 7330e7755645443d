package dev.regent.plan;

import dev.regent.nginx.SiteConfig;
import dev.regent.observe.ObservedHost;
import dev.regent.observe.SiteApplied;
import dev.regent.plan.Action.ApplySite;
import dev.regent.site.CertificateCheck;
import dev.regent.site.CertificateFiles;
import dev.regent.spec.SiteSpec;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Whether nginx must load spec.site again: when the rendered config or the certificate files
 * differ from what it was last confirmed to load. Pure. Refused certificate files block (nothing
 * touches nginx); a plan that moves a role leaves the site for the next pass, so a promotion never
 * waits on, or shares a reload with, a site change.
 */
final class SitePlanning {

    private SitePlanning() {
    }

    static void plan(SiteSpec site, ObservedHost observed, Instant now, List<Action> actions, List<BlockReason> blocked) {
        Optional<String> config = SiteConfig.render(site);
        Optional<SiteApplied> applied = observed.site().applied();
        Optional<ApplySite> change;
        if (config.isEmpty()) {
            change = applied.isPresent() || observed.site().file()
                    ? Optional.of(new ApplySite(Optional.empty(), Optional.empty(), "spec.site is gone"))
                    : Optional.empty();
        } else {
            Optional<CertificateFiles> files = site.tls().map(tls -> observed.certificate()
                    .orElseGet(() -> new CertificateFiles.Unusable("the certificate files were not read")));
            Optional<String> fingerprint = files.filter(CertificateFiles.Parsed.class::isInstance)
                    .map(f -> ((CertificateFiles.Parsed) f).fingerprint());
            Optional<String> why = why(config.get(), fingerprint, applied, observed.site().file());
            if (why.isEmpty()) {
                return;
            }
            Optional<String> refusal = files.flatMap(f -> CertificateCheck.refusal(site, f, now));
            if (refusal.isPresent()) {
                blocked.add(new BlockReason(BlockCode.SITE_REFUSED, "the site config is not applied (" + why.get()
                        + "), nginx keeps serving what it has: " + refusal.get()));
                return;
            }
            change = Optional.of(new ApplySite(config, fingerprint, why.get()));
        }
        if (change.isEmpty()) {
            return;
        }
        if (actions.stream().anyMatch(a -> a instanceof Action.SwapLive || a instanceof Action.PointStage
                || a instanceof Action.ReloadNginx)) {
            blocked.add(new BlockReason(BlockCode.SITE_WAITING, "the site config (" + change.get().why()
                    + ") waits until the roles have moved: it is applied by its own reload, never during a promotion"));
            return;
        }
        actions.add(change.get());
    }

    /** What differs from what nginx loaded, as a person reads it; empty when nothing does. */
    private static Optional<String> why(String config, Optional<String> fingerprint, Optional<SiteApplied> applied,
                                        boolean file) {
        if (applied.isEmpty()) {
            return Optional.of("new");
        }
        if (!applied.get().configSha256().equals(SiteConfig.sha256(config))) {
            return Optional.of("spec.site changed");
        }
        if (!applied.get().certificateFingerprint().equals(fingerprint)) {
            return Optional.of(fingerprint.isPresent() && applied.get().certificateFingerprint().isPresent()
                    ? "the certificate files changed (renewed)" : "tls changed");
        }
        return file ? Optional.empty() : Optional.of("deploy/nginx/site.conf is missing");
    }
}
