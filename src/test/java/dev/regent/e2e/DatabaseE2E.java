package dev.regent.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.regent.apply.BuildIni;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The db service, DATABASE_URL, Regent's own health check and shared media on one real stack:
 * build a is the sample app, build s a stock {@code django-admin startproject} project plus one
 * view at /, with no health setting anywhere in the desired state.
 */
class DatabaseE2E {
    static Stack stack;
    static final String A = "    a: {ref: HEAD}\n";
    static final String S = "    s: {ref: HEAD, path: stock}\n";
    /** The same stock project under a name no other test builds, so its test sees it built and checked. */
    static final String T = "    t: {ref: HEAD, path: stock}\n";
    /** Another build of the sample app, for the media test's promotion and removal. */
    static final String M = "    m: {ref: HEAD}\n";

    @BeforeAll
    static void start() throws Exception {
        stack = Stack.create(Stack.desiredState("PROJECT", "", "a", "null"));
        try {
            stack.up();
            // The project exactly as the web image's django-admin makes it, plus one view at /.
            var made = stack.exec("web", "bash", "-c", "mkdir -p /code/stock && cd /code/stock && django-admin startproject mysite .");
            assertThat(made.exit()).as(made.output()).isZero();
            stack.write("stock/mysite/views.py", """
                    from django.http import HttpResponse


                    def index(request):
                        return HttpResponse('stock project home')
                    """);
            String urls = stack.read("stock/mysite/urls.py");
            stack.write("stock/mysite/urls.py", urls + "\nfrom . import views  # noqa: E402\n\nurlpatterns += [path('', views.index)]\n");
            stack.commitAll("a stock startproject project with one view");
        } catch (Exception | Error e) {
            stack.close();
            throw e;
        }
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    static String desired(String builds, String live, String stage) {
        return Stack.desiredState(stack.project, builds, live, stage);
    }

    @Test
    void aStockStartprojectProjectIsStagedWithNoHealthSetting() {
        assertThat(stack.read("stock/mysite/settings.py")).contains("django.db.backends.sqlite3");
        stack.writeDesired(desired(A + T, "a", "t"));
        assertThat(stack.desired()).doesNotContain("health");

        var apply = stack.regent("apply");

        assertThat(apply.exit()).as(apply.output()).isZero();
        assertThat(apply.output()).contains("create build t", "wait until build t answers /_regent/health", "link build t as stage");
        var stage = stack.get(stack.stagePort, "/");
        assertThat(stage.status()).isEqualTo(200);
        assertThat(stage.build()).isEqualTo("t");
        assertThat(stage.body()).isEqualTo("stock project home");
        assertThat(stack.get(stack.stagePort, "/_regent/health").status()).as("not answered from outside").isEqualTo(404);
        assertThat(stack.get(stack.livePort, "/_regent/health").status()).as("not answered from outside").isEqualTo(404);
    }

    @Test
    void databaseUrlReachesStepsManageAndPoolsAndHealthFollowsTheDatabase() {
        stack.converge(desired(A + S, "a", "s"));

        var environment = manage("s", "shell", "-c", "import os; from django.conf import settings; "
                + "print(sorted(k for k in os.environ if k.startswith(('DJANGO', 'DATABASE', 'REGENT'))), "
                + "settings.DATABASES['default']['ENGINE'])");
        assertThat(environment.output()).contains("['DATABASE_URL', 'DJANGO_SETTINGS_MODULE', 'REGENT_BUILD'] django.db.backends.postgresql");
        var query = manage("s", "shell", "-c", "from django.db import connection\n"
                + "c = connection.cursor(); c.execute('select current_user, current_database()'); print('db says', c.fetchone())");
        assertThat(query.exit()).as(query.output()).isZero();
        assertThat(query.output()).contains("db says ('regent', 'regent')");
        var migrations = manage("s", "showmigrations", "auth");
        assertThat(migrations.exit()).as(migrations.output()).isZero();
        assertThat(migrations.output()).as("the release phase migrated build s before staging it").contains("[X] 0001_initial");
        var failing = manage("s", "shell", "-c", "import sys; sys.exit(3)");
        assertThat(failing.exit()).as("the command's exit code is regent's").isEqualTo(3);
        assertThat(health("s")).as("the pool's settings reach PostgreSQL").isEqualTo("200 ok: database postgresql regent on db");
        assertThat(stack.read("deploy/builds/s/build.ini")).contains("env = DATABASE_URL=postgres://regent:");
        assertThat(stack.regent("status", "-o", "json").output()).doesNotContain(stack.read("deploy/secrets/db-password").strip());

        stack.compose("stop", "-t", "5", "db");
        try {
            assertThat(health("s")).startsWith("503 unhealthy: database postgresql regent on db: OperationalError");
            assertThat(stack.get(stack.stagePort, "/").body()).isEqualTo("stock project home");
            var live = stack.get(stack.livePort, "/");
            assertThat(live.status()).as("a page that needs no database").isEqualTo(200);
            assertThat(live.build()).isEqualTo("a");
        } finally {
            stack.compose("start", "db");
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(health("s")).startsWith("200 ok"));
    }

    @Test
    void mediaIsServedByBothRolesAndSurvivesPromotionAndRemoval() throws Exception {
        stack.converge(desired(A + S, "a", "s"));
        Path media = stack.root.resolve("deploy/assets/media/uploads/hello.txt");
        Files.createDirectories(media.getParent());
        Files.writeString(media, "uploaded once\n");

        assertMediaServed();
        stack.converge(desired(A + S, "s", "a"));
        assertThat(stack.servedBy(stack.livePort)).isEqualTo("s");
        assertMediaServed();
        stack.converge(desired(A + S + M, "s", "m"));
        stack.converge(desired(S + M, "s", "m"));
        assertThat(stack.root.resolve("deploy/builds/a")).doesNotExist();

        assertThat(media).hasContent("uploaded once");
        assertThat(stack.get(stack.livePort, "/media/uploads/hello.txt").body()).isEqualTo("uploaded once\n");
    }

    private static void assertMediaServed() {
        for (int port : List.of(stack.livePort, stack.stagePort)) {
            var got = stack.get(port, "/media/uploads/hello.txt");
            assertThat(got.status()).isEqualTo(200);
            assertThat(got.body()).isEqualTo("uploaded once\n");
        }
    }

    /** Status and body of the build's own /_regent/health, asked on its port inside the web container. */
    private static String health(String build) {
        int port = BuildIni.read(stack.root.resolve("deploy/builds/" + build)).orElseThrow().port();
        var got = stack.exec("web", "curl", "-s", "-w", " %{http_code}", "http://127.0.0.1:" + port + "/_regent/health");
        String out = got.output().strip();
        int cut = out.lastIndexOf(' ');
        return out.substring(cut + 1) + " " + out.substring(0, cut).strip();
    }

    /** regent manage BUILD -- ARGS (regent's own options before the --). */
    private static Stack.Result manage(String build, String... args) {
        var command = new ArrayList<>(List.of("java", "-jar", Stack.JAR.toString(), "manage",
                "--root", stack.root.toString(), "--file", stack.root.resolve("desired-state.yaml").toString(), build, "--"));
        command.addAll(List.of(args));
        return stack.run(command, Duration.ofMinutes(3));
    }
}
