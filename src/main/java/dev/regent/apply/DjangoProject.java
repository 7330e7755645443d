package dev.regent.apply;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds the settings and WSGI modules of a project laid out as {@code django-admin startproject}
 * lays it out: manage.py names the settings module; wsgi.py sits in the same package.
 */
public record DjangoProject(String settingsModule, String wsgiModule) {
    private static final Pattern SETTINGS = Pattern.compile(
            "DJANGO_SETTINGS_MODULE['\"]\\s*,\\s*['\"]([A-Za-z_][\\w.]*)['\"]");

    public static DjangoProject detect(Path app, Optional<String> settings, Optional<String> wsgi) {
        String settingsModule = settings.orElseGet(() -> fromManagePy(app));
        String wsgiModule = wsgi.orElseGet(() -> wsgiBeside(app, settingsModule));
        return new DjangoProject(settingsModule, wsgiModule);
    }

    private static String fromManagePy(Path app) {
        Path manage = app.resolve("manage.py");
        if (!Files.isRegularFile(manage)) {
            throw new IllegalArgumentException("no manage.py in the app folder; set spec.source.settings and spec.source.wsgi");
        }
        try {
            Matcher m = SETTINGS.matcher(Files.readString(manage));
            if (!m.find()) {
                throw new IllegalArgumentException("manage.py does not name DJANGO_SETTINGS_MODULE; set spec.source.settings");
            }
            return m.group(1);
        } catch (IOException e) {
            throw new IllegalArgumentException("could not read manage.py: " + e.getMessage(), e);
        }
    }

    private static String wsgiBeside(Path app, String settingsModule) {
        int dot = settingsModule.lastIndexOf('.');
        String pkg = dot < 0 ? "" : settingsModule.substring(0, dot);
        String candidate = pkg.isEmpty() ? "wsgi" : pkg + ".wsgi";
        if (Files.isRegularFile(app.resolve(candidate.replace('.', '/') + ".py"))) {
            return candidate;
        }
        try (Stream<Path> files = Files.walk(app, 3)) {
            return files.filter(p -> p.getFileName().toString().equals("wsgi.py"))
                    .map(p -> app.relativize(p).toString().replaceAll("\\.py$", "").replace('/', '.'))
                    .sorted()
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no wsgi.py found in the app folder; set spec.source.wsgi"));
        } catch (IOException e) {
            throw new IllegalArgumentException("could not search for wsgi.py: " + e.getMessage(), e);
        }
    }
}
