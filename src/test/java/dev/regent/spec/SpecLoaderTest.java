package dev.regent.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SpecLoaderTest {

    @Test
    void loadsEveryValueOfTheValidSample() {
        DesiredState state = Fixtures.valid("valid.yaml");

        assertThat(state.file()).isEqualTo(Fixtures.path("valid.yaml"));
        assertThat(state.name()).isEqualTo("demo");
        assertThat(state.source()).isEqualTo(new Source(".", "examples/app", Optional.of("mysite.settings"),
                Optional.empty(), "/healthz"));
        assertThat(state.builds()).containsOnlyKeys("a", "b", "c");
        assertThat(List.copyOf(state.builds().keySet())).containsExactly("a", "b", "c");
        assertThat(state.builds().get("a")).isEqualTo(BuildSpecs.of("a", "HEAD"));
        assertThat(state.builds().get("b")).isEqualTo(new BuildSpec("b", "main", true,
                Optional.of("examples/other"), Optional.empty(), Optional.empty(), Optional.of("/up")));
        assertThat(state.builds().get("c")).isEqualTo(new BuildSpec("c", "1.10", false, Optional.empty(),
                Optional.empty(), Optional.of("mysite.wsgi"), Optional.empty()));
        assertThat(state.live()).contains("a");
        assertThat(state.stage()).contains("b");
        assertThat(state.steps()).containsExactly(
                new Step("venv", List.of("python3", "-m", "venv", "--system-site-packages", "venv")),
                new Step("migrate", List.of("venv/bin/python", "app/manage.py", "migrate")));
    }

    @Test
    void recordsTheLineOfEveryField() {
        DesiredState state = Fixtures.valid("valid.yaml");

        assertThat(state.lineOf("apiVersion")).isEqualTo(2);
        assertThat(state.lineOf("metadata.name")).isEqualTo(5);
        assertThat(state.lineOf("spec.source.path")).isEqualTo(9);
        assertThat(state.lineOf("spec.builds")).isEqualTo(12);
        assertThat(state.lineOf("spec.builds.a")).isEqualTo(13);
        assertThat(state.lineOf("spec.builds.a.ref")).isEqualTo(13);
        assertThat(state.lineOf("spec.builds.c")).isEqualTo(15);
        assertThat(state.lineOf("spec.builds.c.ref")).isEqualTo(16);
        assertThat(state.lineOf("spec.builds.c.active")).isEqualTo(17);
        assertThat(state.lineOf("spec.live")).isEqualTo(19);
        assertThat(state.lineOf("spec.stage")).isEqualTo(20);
        assertThat(state.lineOf("spec.steps[1]")).isEqualTo(24);
        assertThat(state.lineOf("spec.steps[1].run")).isEqualTo(25);
        assertThat(state.lineOf("spec.nothing")).isZero();
    }

    @Test
    void effectiveBuildFallsBackToTheSource() {
        DesiredState state = Fixtures.valid("valid.yaml");

        EffectiveBuild b = state.effective(state.builds().get("b"));

        assertThat(b.path()).isEqualTo("examples/other");
        assertThat(b.settings()).contains("mysite.settings");
        assertThat(b.healthPath()).isEqualTo("/up");
        assertThat(b.port()).isEqualTo(2010);
    }

    @Test
    void appliesDefaultsWhenOptionalFieldsAreAbsent() {
        DesiredState state = Fixtures.valid("minimal.yaml");

        assertThat(state.source().repo()).isEqualTo("/srv/repo");
        assertThat(state.source().path()).isEqualTo(".");
        assertThat(state.source().healthPath()).isEqualTo(Source.DEFAULT_HEALTH_PATH);
        assertThat(state.builds()).isEmpty();
        assertThat(state.live()).isEmpty();
        assertThat(state.stage()).isEmpty();
        assertThat(state.steps()).isEqualTo(SpecLoader.DEFAULT_STEPS);
        assertThat(state.steps()).extracting(Step::name).containsExactly("collectstatic");
    }

    @Test
    void emptyBuildsAndEmptyRolesMeanNone() {
        LoadResult result = SpecLoader.parse(Fixtures.path("minimal.yaml"), """
                apiVersion: regent/v1
                kind: Host
                metadata: {name: demo}
                spec:
                  source: {repo: ., path: app}
                  builds:   # none yet
                  live:
                  stage: ~
                  steps: []
                """);

        assertThat(result).isInstanceOf(LoadResult.Valid.class);
        DesiredState state = ((LoadResult.Valid) result).state();
        assertThat(state.builds()).isEmpty();
        assertThat(state.live()).isEmpty();
        assertThat(state.stage()).isEmpty();
        assertThat(state.steps()).isEmpty();
    }

    @Test
    void acceptsNumbersAndBooleansWhereAStringIsExpected() {
        LoadResult result = SpecLoader.parse(Fixtures.path("minimal.yaml"), """
                apiVersion: regent/v1
                kind: Host
                metadata: {name: "007"}
                spec:
                  source: {repo: ., path: app}
                  builds:
                    a: {ref: 12}
                    b: {ref: 1.10}
                    c: {ref: yes, active: TRUE}
                """);

        DesiredState state = ((LoadResult.Valid) result).state();
        assertThat(state.name()).isEqualTo("007");
        assertThat(state.builds().values()).extracting(BuildSpec::ref).containsExactly("12", "1.10", "yes");
        assertThat(state.builds().get("c").active()).isTrue();
    }

    @Test
    void acceptsAByteOrderMarkAndCrlfLineEnds() {
        LoadResult result = SpecLoader.parse(Fixtures.path("minimal.yaml"),
                "\uFEFFapiVersion: regent/v1\r\nkind: Host\r\nmetadata: {name: demo}\r\nspec:\r\n"
                        + "  source: {repo: ., path: app}\r\n  live: a\r\n  builds: {a: {ref: HEAD}}\r\n");

        DesiredState state = ((LoadResult.Valid) result).state();
        assertThat(state.live()).contains("a");
        assertThat(state.lineOf("spec.live")).isEqualTo(6);
    }
}
