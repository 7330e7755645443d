package dev.regent.apply;

import dev.regent.docker.ExecResult;
import dev.regent.fs.HostFiles;
import dev.regent.nginx.SiteConfig;
import dev.regent.observe.SiteApplied;
import dev.regent.plan.Action.ApplySite;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Applies spec.site without ever letting nginx see an untested config: the new site.conf is
 * written next to the live one under a name nginx.conf's glob does not match, tested with
 * {@code nginx -t} through a copy of nginx.conf that includes it instead, and only then renamed
 * over deploy/nginx/site.conf (atomic) and reloaded. The reload is confirmed by effect (the marker
 * of the new file answers), and only then is it recorded in deploy/run/site-applied.json.
 */
final class SiteControl {
    static final String CANDIDATE = "site.conf.candidate";
    static final String CANDIDATE_MAIN = "nginx.candidate.conf";
    private static final Duration EXEC = Duration.ofSeconds(20);
    private final HostContext host;

    SiteControl(HostContext host) {
        this.host = host;
    }

    ActionResult apply(ApplySite a) {
        Path folder = host.layout().nginxFiles();
        Path live = folder.resolve(SiteConfig.FILE);
        Path candidate = folder.resolve(CANDIDATE);
        Path main = folder.resolve(CANDIDATE_MAIN);
        Path nginxConf = host.layout().root().resolve("conf/nginx/nginx.conf");
        Optional<String> file = a.config().map(c -> SiteConfig.file(c, a.certificateFingerprint()));
        try {
            String mainText = Files.readString(nginxConf);
            if (!mainText.contains(SiteConfig.INCLUDE)) {
                return ActionResult.failed("conf/nginx/nginx.conf has no line \"" + SiteConfig.INCLUDE
                        + "\", so nginx would not load the site; restore it (as shipped with Regent)");
            }
            Files.createDirectories(folder);
            if (file.isPresent()) {
                HostFiles.writeAtomically(candidate, file.get());
            }
            HostFiles.writeAtomically(main, mainText.replace(SiteConfig.INCLUDE, file.isPresent()
                    ? "include " + host.layout().inContainer(candidate) + ";" : "# (no site)"));
            ExecResult test;
            try {
                test = host.execIn("nginx", List.of("nginx", "-t", "-c", host.layout().inContainer(main)),
                        Optional.empty(), Map.of(), EXEC);
            } finally {
                Files.deleteIfExists(main);
            }
            if (!test.ok()) {
                Files.deleteIfExists(candidate);
                return ActionResult.failed("nginx -t rejected the new site config, nothing serving changed:\n" + test.tail(10));
            }
            if (file.isPresent()) {
                Files.move(candidate, live, StandardCopyOption.ATOMIC_MOVE);
            } else {
                Files.deleteIfExists(live);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not prepare the site config in " + folder, e);
        }
        ExecResult reload = host.execIn("nginx", List.of("nginx", "-s", "reload", "-c", "/code/conf/nginx/nginx.conf"),
                Optional.empty(), Map.of(), EXEC);
        if (!reload.ok()) {
            return ActionResult.failed("nginx -s reload failed:\n" + reload.tail(10));
        }
        Optional<String> expected = a.config().map(c -> SiteConfig.identity(c, a.certificateFingerprint()));
        boolean loaded = host.waiter().until(host.timeouts().nginx(), () -> marker().equals(expected));
        if (!loaded) {
            return ActionResult.failed("nginx did not load the new site config within " + host.timeouts().nginx().toSeconds()
                    + " s (its log says why; the file is in place, so the next pass reloads again)");
        }
        if (a.config().isPresent()) {
            HostFiles.writeJson(host.layout().siteApplied(), new SiteApplied(SiteConfig.sha256(a.config().get()),
                    a.certificateFingerprint(), host.clock().instant()));
            return ActionResult.done("nginx serves the site config " + SiteConfig.sha256(a.config().get()).substring(0, 12)
                    + a.certificateFingerprint().map(f -> " with certificate " + f.substring(0, Math.min(12, f.length())))
                            .orElse(""));
        }
        try {
            Files.deleteIfExists(host.layout().siteApplied());
        } catch (IOException e) {
            throw new UncheckedIOException("could not remove " + host.layout().siteApplied(), e);
        }
        return ActionResult.done("site config removed, nginx serves the default servers only");
    }

    /** What the loaded site's marker answers; empty when nginx serves no site (the default server's 404). */
    private Optional<String> marker() {
        ExecResult answer = host.execIn("nginx", List.of("curl", "-s", "--max-time", "5", "-w", "\n%{http_code}",
                "-H", "Host: " + SiteConfig.MARKER_HOST, "http://127.0.0.1:" + SiteConfig.HTTP_PORT + SiteConfig.MARKER_PATH),
                Optional.empty(), Map.of(), Duration.ofSeconds(10));
        // The marker's body ends with a newline and curl adds one before the status: skip blank lines.
        List<String> lines = answer.output().strip().lines().filter(l -> !l.isBlank()).toList();
        String status = lines.isEmpty() ? "" : lines.get(lines.size() - 1).strip();
        if (status.equals("200") && lines.size() >= 2) {
            return Optional.of(lines.get(lines.size() - 2).strip());
        }
        // Nothing answering at all is not "no site": it is unknown, and never equals what is expected.
        return status.matches("[1-5]\\d\\d") ? Optional.empty() : Optional.of("(no answer)");
    }
}
