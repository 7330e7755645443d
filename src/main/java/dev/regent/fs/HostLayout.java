package dev.regent.fs;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where things live under the project root, seen from this process ({@code root}) and from inside
 * the containers, where the root is mounted at {@link #CONTAINER_ROOT}.
 */
public record HostLayout(Path root) {
    public static final String CONTAINER_ROOT = "/code";
    public static final String LIVE = "_live";
    public static final String STAGE = "_stage";

    public HostLayout {
        root = root.toAbsolutePath().normalize();
    }

    public Path deploy() {
        return root.resolve("deploy");
    }

    public Path builds() {
        return deploy().resolve("builds");
    }

    public Path build(String name) {
        return builds().resolve(name);
    }

    /** The dot-named folder a build is assembled in; the emperors' glob never matches it. */
    public Path assembly(String name) {
        return builds().resolve("." + name + ".tmp");
    }

    public Path run() {
        return deploy().resolve("run");
    }

    public Path staticRoot(String name) {
        return deploy().resolve("assets").resolve("static").resolve(name);
    }

    /** The wheels requirements venvs are installed from, with pip's --no-index. */
    public Path wheelhouse() {
        return deploy().resolve("deps").resolve("wheelhouse");
    }

    /** Requirements venvs, one per lock, shared by the builds whose venv links to them. */
    public Path venvStore() {
        return deploy().resolve("deps").resolve("venvs");
    }

    public Path vassalStats(String name) {
        return run().resolve(name + "-vassal.stats");
    }

    public Path poolStats(String name) {
        return run().resolve(name + "-pool.stats");
    }

    public Path marker(String name, String kind) {
        return run().resolve(name + "." + kind + ".json");
    }

    /** The build a file in {@link #run()} is a marker of that kind for, if it is one. */
    public static Optional<String> markerOf(String fileName, String kind) {
        String suffix = "." + kind + ".json";
        return fileName.endsWith(suffix)
                ? Optional.of(fileName.substring(0, fileName.length() - suffix.length()))
                : Optional.empty();
    }

    public Path nginxApplied() {
        return run().resolve("nginx-applied.json");
    }

    /** What nginx last loaded of spec.site, confirmed by effect. */
    public Path siteApplied() {
        return run().resolve("site-applied.json");
    }

    /** deploy/nginx: the site config nginx.conf includes (site*.conf), and its candidates. */
    public Path nginxFiles() {
        return deploy().resolve("nginx");
    }

    /** The stats socket of the emperor that runs the builds' worker pools. */
    public Path emperorStats() {
        return run().resolve("emperor-pools.stats");
    }

    public Path journal() {
        return run().resolve("journal.jsonl");
    }

    public Path lastReconcile() {
        return run().resolve("last-reconcile.json");
    }

    public Path lock() {
        return run().resolve("regent.lock");
    }

    /** The bare mirror of a followed git repository. */
    public Path gitMirror(String name) {
        return deploy().resolve("git").resolve(name + ".git");
    }

    /** The vassal link of a build: its router runs while it exists. */
    public Path vassalIni(String name) {
        return build(name).resolve("vassal.ini");
    }

    /** The pool link of a build: its worker pool runs while it exists. */
    public Path poolIni(String name) {
        return build(name).resolve("zerg.ini");
    }

    /** The link of a role ({@link #LIVE} or {@link #STAGE}). */
    public Path role(String role) {
        return builds().resolve(role);
    }

    public Path skeleton(String file) {
        return root.resolve("conf").resolve("uwsgi").resolve(file);
    }

    /** The same path as the containers see it. */
    public String inContainer(Path local) {
        Path relative = root.relativize(local.toAbsolutePath().normalize());
        return relative.toString().isEmpty() ? CONTAINER_ROOT : CONTAINER_ROOT + "/" + relative.toString().replace('\\', '/');
    }
}
