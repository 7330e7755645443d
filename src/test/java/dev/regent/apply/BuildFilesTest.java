package dev.regent.apply;

import static org.assertj.core.api.Assertions.assertThat;

import dev.regent.db.DatabaseCredentials;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildFilesTest {

    @Test
    void settingsModuleImportsTheUsersSettingsThenSetsStaticForTheBuild() {
        String module = BuildFiles.settingsModule("c", "mysite.settings");

        assertThat(module).contains("from mysite.settings import *");
        assertThat(module).containsPattern("(?m)^STATIC_ROOT = '/code/deploy/assets/static/c'$");
        assertThat(module).containsPattern("(?m)^STATIC_URL = '/static/c/'$");
        assertThat(module.indexOf("from mysite.settings import *"))
                .as("the import comes first, so Regent's values override the user's")
                .isLessThan(module.indexOf("STATIC_ROOT"));
        assertThat(module.lines().takeWhile(l -> !l.startsWith("def "))).noneMatch(l -> l.startsWith(" "));
    }

    @Test
    void settingsModulesOfDifferentBuildsDiffer() {
        assertThat(BuildFiles.settingsModule("aa", "x.settings")).contains("/static/aa/").doesNotContain("/static/c/");
    }

    @Test
    void buildIniHasThePortAndWsgiModule() {
        String ini = new BuildIni(2020, "mysite.wsgi").render();

        assertThat(ini.lines().findFirst()).contains("[uwsgi]");
        assertThat(ini).containsPattern("(?m)^regent_port = 2020$");
        assertThat(ini).containsPattern("(?m)^regent_wsgi = mysite.wsgi$");
    }

    /**
     * BUG (BuildIni.render): String.formatted uses the default locale, and %d prints locale
     * digits: under th-TH-u-nu-thai the port becomes "๒๐๒๐", which uWSGI rejects. Fix:
     * String.format(Locale.ROOT, ...). (The nginx includes, now NginxIncludes.content, are checked
     * in NginxIncludesTest.)
     */
    @Test
    void portsAreAsciiDigitsWhateverTheDefaultLocale() {
        Locale saved = Locale.getDefault();
        Locale savedFormat = Locale.getDefault(Locale.Category.FORMAT);
        try {
            Locale.setDefault(Locale.forLanguageTag("th-TH-u-nu-thai"));

            assertThat(new BuildIni(2020, "mysite.wsgi").render()).contains("regent_port = 2020");
        } finally {
            Locale.setDefault(saved);
            Locale.setDefault(Locale.Category.FORMAT, savedFormat);
        }
    }

    @Test
    void settingsModuleSetsSharedMediaAfterTheUsersSettings() {
        String module = BuildFiles.settingsModule("c", "mysite.settings");

        assertThat(module).containsPattern("(?m)^MEDIA_ROOT = '/code/deploy/assets/media'$");
        assertThat(module).containsPattern("(?m)^MEDIA_URL = '/media/'$");
        assertThat(module.indexOf("from mysite.settings import *")).isLessThan(module.indexOf("MEDIA_ROOT"));
    }

    @Test
    void buildIniCarriesTheDatabaseUrlWithPercentSignsDoubledForUwsgi() {
        String url = DatabaseCredentials.urlFor("a%b c");
        String ini = new BuildIni(2020, "regent_wsgi", Optional.of(url)).render();

        assertThat(ini).containsPattern("(?m)^env = DATABASE_URL=postgres://regent:a%%25b%%20c@db:5432/regent$");
        assertThat(new BuildIni(2020, "regent_wsgi", Optional.of(url)).toString()).doesNotContain("a%25b");
        assertThat(BuildIni.parse(ini)).contains(new BuildIni(2020, "regent_wsgi"));
    }

    @Test
    void buildIniWithoutADatabaseHasNoEnvLine() {
        assertThat(new BuildIni(2020, "regent_wsgi").render()).doesNotContain("env");
    }

    @Test
    void buildEnvironmentGivesDatabaseUrlOnlyWhenThereIsOneAndNeverPrintsIt() {
        var with = new BuildEnvironment("c", "/code/deploy/builds/c", Optional.of("postgres://regent:pw@db:5432/regent"));
        var without = new BuildEnvironment("c", "/code/deploy/builds/c", Optional.empty());

        assertThat(with.variables()).containsEntry("DATABASE_URL", "postgres://regent:pw@db:5432/regent");
        assertThat(without.variables()).doesNotContainKey("DATABASE_URL");
        assertThat(with.toString()).doesNotContain("pw@");
    }

    @Test
    void wsgiModuleImportsTheProjectsApplicationAndAnswersTheHealthPathItself() {
        String module = BuildFiles.wsgiModule("c", "mysite.wsgi");

        assertThat(module).containsPattern("(?m)^from mysite\\.wsgi import application as _project_application$");
        assertThat(module).containsPattern("(?m)^HEALTH_PATH = '/_regent/health'$");
        assertThat(module).contains("ensure_connection()").contains("503 Service Unavailable");
    }

    @TempDir
    Path folder;

    /** The generated settings run as Python: which DATABASES wins, read from a real interpreter. */
    @Test
    void databaseUrlReplacesAMissingOrSqliteDefaultOnlyAndKeepsAnyOtherDatabase() throws Exception {
        Assumptions.assumeTrue(python3() != null, "python3 on the PATH");
        String url = DatabaseCredentials.urlFor("p@ss w%rd");
        String postgres = "{'ENGINE': 'django.db.backends.postgresql', 'NAME': 'regent', 'USER': 'regent', "
                + "'PASSWORD': 'p@ss w%rd', 'HOST': 'db', 'PORT': '5432'}";

        assertThat(defaultDatabase("DATABASES = {}", Optional.of(url), true)).isEqualTo(postgres);
        assertThat(defaultDatabase("", Optional.of(url), true)).isEqualTo(postgres);
        assertThat(defaultDatabase("DATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3', 'NAME': 'x'}}",
                Optional.of(url), true)).isEqualTo(postgres);
        assertThat(defaultDatabase("DATABASES = {'default': {'ENGINE': 'django.db.backends.mysql', 'NAME': 'own'}}",
                Optional.of(url), true)).contains("mysql").contains("own");
        assertThat(defaultDatabase("DATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3', 'NAME': 'x'}}",
                Optional.empty(), true)).contains("sqlite3");
        assertThat(defaultDatabase("DATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3', 'NAME': 'x'}}",
                Optional.of(url), false)).as("no PostgreSQL driver importable: the project's SQLite stays").contains("sqlite3");
    }

    private String defaultDatabase(String userSettings, Optional<String> url, boolean driver) throws Exception {
        Path run = Files.createTempDirectory(folder, "run");
        Files.writeString(run.resolve("usersettings.py"), "SECRET_KEY = 'x'\n" + userSettings + "\n");
        Files.writeString(run.resolve("regent_settings.py"), BuildFiles.settingsModule("c", "usersettings"));
        if (driver) {
            Files.createDirectories(run.resolve("psycopg2"));
            Files.writeString(run.resolve("psycopg2/__init__.py"), "");
        }
        var command = new ArrayList<>(List.of(python3(), "-I", "-c",
                "import sys; sys.path.insert(0, '.'); import regent_settings as s; "
                        + "print(repr(s.DATABASES.get('default') if hasattr(s, 'DATABASES') else None))"));
        var builder = new ProcessBuilder(command).directory(run.toFile()).redirectErrorStream(true);
        builder.environment().remove("DATABASE_URL");
        url.ifPresent(u -> builder.environment().put("DATABASE_URL", u));
        Process process = builder.start();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String output = new String(process.getInputStream().readAllBytes()).strip();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }

    private static String python3() throws IOException {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path candidate = Path.of(dir, "python3");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }
}
