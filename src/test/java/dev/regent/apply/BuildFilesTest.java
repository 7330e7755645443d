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

    /** The generated settings run as Python: the proxy header is trusted unless the project chose its own. */
    @Test
    void settingsTrustNginxsForwardedProtoUnlessTheProjectSetItsOwn() throws Exception {
        Assumptions.assumeTrue(python3() != null, "python3 on the PATH");
        String print = "print(repr(s.SECURE_PROXY_SSL_HEADER))";

        assertThat(runSettings("", print)).isEqualTo("('HTTP_X_FORWARDED_PROTO', 'https')");
        assertThat(runSettings("SECURE_PROXY_SSL_HEADER = ('HTTP_X_SCHEME', 'https')", print))
                .isEqualTo("('HTTP_X_SCHEME', 'https')");
        assertThat(runSettings("SECURE_PROXY_SSL_HEADER = None", print)).as("a project that opts out stays out").isEqualTo("None");
        assertThat(runSettings("", "print(s.__dict__.get('USE_X_FORWARDED_HOST'))"))
                .as("Host stays the header nginx sends").isEqualTo("None");
    }

    /** The generated WSGI module run as Python around a stand-in project that answers its REMOTE_ADDR. */
    @Test
    void wsgiModuleTakesTheClientAddressFromTheLastForwardedForEntry() throws Exception {
        Assumptions.assumeTrue(python3() != null, "python3 on the PATH");

        assertThat(remoteAddr(null)).as("no header: uWSGI's peer stays").isEqualTo("172.18.0.4");
        assertThat(remoteAddr("203.0.113.7")).isEqualTo("203.0.113.7");
        assertThat(remoteAddr("6.6.6.6, 203.0.113.7")).as("nginx's entry is the last").isEqualTo("203.0.113.7");
        assertThat(remoteAddr("6.6.6.6,203.0.113.7 ")).isEqualTo("203.0.113.7");
        assertThat(remoteAddr("2001:db8::1")).isEqualTo("2001:db8::1");
        assertThat(remoteAddr("203.0.113.7, not-an-address")).as("not an address: ignored").isEqualTo("172.18.0.4");
        assertThat(remoteAddr("")).isEqualTo("172.18.0.4");
    }

    private String remoteAddr(String forwardedFor) throws Exception {
        Path run = Files.createTempDirectory(folder, "wsgi");
        Files.writeString(run.resolve("project_wsgi.py"), """
                def application(environ, start_response):
                    start_response('200 OK', [])
                    return [environ['REMOTE_ADDR'].encode()]
                """);
        Files.writeString(run.resolve("regent_wsgi.py"), BuildFiles.wsgiModule("c", "project_wsgi"));
        String environ = "{'PATH_INFO': '/whoami', 'REQUEST_METHOD': 'GET', 'REMOTE_ADDR': '172.18.0.4'"
                + (forwardedFor == null ? "" : ", 'HTTP_X_FORWARDED_FOR': " + pythonString(forwardedFor)) + "}";
        return python(run, "import regent_wsgi; "
                + "print(b''.join(regent_wsgi.application(" + environ + ", lambda status, headers: None)).decode())");
    }

    private static String pythonString(String text) {
        return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    private String runSettings(String userSettings, String statement) throws Exception {
        Path run = Files.createTempDirectory(folder, "settings");
        Files.writeString(run.resolve("usersettings.py"), "SECRET_KEY = 'x'\n" + userSettings + "\n");
        Files.writeString(run.resolve("regent_settings.py"), BuildFiles.settingsModule("c", "usersettings"));
        return python(run, "import regent_settings as s; " + statement);
    }

    private String python(Path run, String code) throws Exception {
        var builder = new ProcessBuilder(python3(), "-I", "-c", "import sys; sys.path.insert(0, '.'); " + code)
                .directory(run.toFile()).redirectErrorStream(true);
        builder.environment().remove("DATABASE_URL");
        Process process = builder.start();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String output = new String(process.getInputStream().readAllBytes()).strip();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
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
