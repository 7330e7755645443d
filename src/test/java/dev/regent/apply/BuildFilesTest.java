package dev.regent.apply;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import org.junit.jupiter.api.Test;

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
        assertThat(module.lines()).noneMatch(l -> l.startsWith(" "));
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
}
