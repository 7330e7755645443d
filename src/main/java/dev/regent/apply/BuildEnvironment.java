package dev.regent.apply;

import dev.regent.db.DatabaseCredentials;
import dev.regent.fs.HostLayout;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The environment a build's code runs in, in the web container: its build steps, the import check
 * after a pool failed to start, {@code regent shell} and {@code regent manage}. The pools get the
 * same values from the uWSGI skeletons and build.ini. {@code folder} is the build's folder as the
 * container sees it. {@code databaseUrl} holds a password: {@link #toString()} leaves it out.
 */
public record BuildEnvironment(String build, String folder, Optional<String> databaseUrl) {
    public static final String DATABASE_URL = "DATABASE_URL";

    /** The environment of a build assembled or kept in {@code folder}, with the host's database if it has one. */
    public static BuildEnvironment of(HostLayout layout, String build, Path folder) {
        return new BuildEnvironment(build, layout.inContainer(folder), DatabaseCredentials.databaseUrl(layout));
    }

    public Map<String, String> variables() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("DJANGO_SETTINGS_MODULE", "regent_settings");
        env.put("PYTHONPATH", folder + ":" + folder + "/app");
        env.put("REGENT_BUILD", build);
        env.put("HOME", "/tmp");
        databaseUrl.ifPresent(url -> env.put(DATABASE_URL, url));
        return env;
    }

    /** The build's own Python, in its virtualenv. */
    public String python() {
        return folder + "/venv/bin/python";
    }

    @Override
    public String toString() {
        return "BuildEnvironment[build=" + build + ", folder=" + folder + ", database=" + databaseUrl.isPresent() + "]";
    }
}
