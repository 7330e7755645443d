package dev.regent.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DjangoProjectTest {
    private static final String MANAGE_PY = """
            #!/usr/bin/env python
            \"\"\"Django's command-line utility for administrative tasks.\"\"\"
            import os
            import sys


            def main():
                \"\"\"Run administrative tasks.\"\"\"
                os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')
                try:
                    from django.core.management import execute_from_command_line
                except ImportError as exc:
                    raise ImportError("Couldn't import Django.") from exc
                execute_from_command_line(sys.argv)


            if __name__ == '__main__':
                main()
            """;

    @TempDir
    Path app;

    private void startproject(String manage) throws IOException {
        Files.writeString(app.resolve("manage.py"), manage);
        Path pkg = Files.createDirectories(app.resolve("mysite"));
        for (String file : new String[] {"__init__.py", "settings.py", "urls.py", "asgi.py", "wsgi.py"}) {
            Files.writeString(pkg.resolve(file), "# " + file + "\n");
        }
    }

    @Test
    void startprojectLayoutIsDetected() throws IOException {
        startproject(MANAGE_PY);

        DjangoProject project = DjangoProject.detect(app, Optional.empty(), Optional.empty());

        assertThat(project).isEqualTo(new DjangoProject("mysite.settings", "mysite.wsgi"));
    }

    @Test
    void doubleQuotedSettingsModuleIsDetectedToo() throws IOException {
        startproject(MANAGE_PY.replace("'DJANGO_SETTINGS_MODULE', 'mysite.settings'",
                "\"DJANGO_SETTINGS_MODULE\", \"mysite.settings\""));

        assertThat(DjangoProject.detect(app, Optional.empty(), Optional.empty()).settingsModule())
                .isEqualTo("mysite.settings");
    }

    @Test
    void nestedSettingsPackageFindsWsgiElsewhere() throws IOException {
        startproject(MANAGE_PY.replace("mysite.settings", "mysite.settings.prod"));
        Files.createDirectories(app.resolve("mysite/settings"));
        Files.writeString(app.resolve("mysite/settings/prod.py"), "");

        DjangoProject project = DjangoProject.detect(app, Optional.empty(), Optional.empty());

        assertThat(project.settingsModule()).isEqualTo("mysite.settings.prod");
        assertThat(project.wsgiModule()).isEqualTo("mysite.wsgi");
    }

    @Test
    void overridesWin() throws IOException {
        startproject(MANAGE_PY);

        assertThat(DjangoProject.detect(app, Optional.of("conf.production"), Optional.of("conf.serve")))
                .isEqualTo(new DjangoProject("conf.production", "conf.serve"));
        assertThat(DjangoProject.detect(app, Optional.of("mysite.other_settings"), Optional.empty()))
                .isEqualTo(new DjangoProject("mysite.other_settings", "mysite.wsgi"));
        assertThat(DjangoProject.detect(app, Optional.empty(), Optional.of("custom.wsgi")))
                .isEqualTo(new DjangoProject("mysite.settings", "custom.wsgi"));
    }

    @Test
    void overridesNeedNoManagePy() {
        assertThat(DjangoProject.detect(app, Optional.of("a.settings"), Optional.of("a.wsgi")))
                .isEqualTo(new DjangoProject("a.settings", "a.wsgi"));
    }

    @Test
    void missingManagePyGivesAClearMessage() {
        assertThatThrownBy(() -> DjangoProject.detect(app, Optional.empty(), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no manage.py")
                .hasMessageContaining("spec.source.settings");
    }

    @Test
    void managePyWithoutSettingsModuleGivesAClearMessage() throws IOException {
        Files.writeString(app.resolve("manage.py"), "print('hello')\n");

        assertThatThrownBy(() -> DjangoProject.detect(app, Optional.empty(), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("DJANGO_SETTINGS_MODULE")
                .hasMessageContaining("spec.source.settings");
    }

    @Test
    void noWsgiAnywhereGivesAClearMessage() throws IOException {
        Files.writeString(app.resolve("manage.py"), MANAGE_PY);
        Files.createDirectories(app.resolve("mysite"));
        Files.writeString(app.resolve("mysite/settings.py"), "");

        assertThatThrownBy(() -> DjangoProject.detect(app, Optional.empty(), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no wsgi.py")
                .hasMessageContaining("spec.source.wsgi");
    }
}
