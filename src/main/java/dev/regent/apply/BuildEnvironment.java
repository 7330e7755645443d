package dev.regent.apply;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The environment a build's code runs in, in the web container: its build steps, the import check
 * after a pool failed to start, and {@code regent shell}. The pools get the same values from the
 * uWSGI skeletons. {@code folder} is the build's folder as the container sees it.
 */
public record BuildEnvironment(String build, String folder) {

    public Map<String, String> variables() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("DJANGO_SETTINGS_MODULE", "regent_settings");
        env.put("PYTHONPATH", folder + ":" + folder + "/app");
        env.put("REGENT_BUILD", build);
        env.put("HOME", "/tmp");
        return env;
    }

    /** The build's own Python, in its virtualenv. */
    public String python() {
        return folder + "/venv/bin/python";
    }
}
