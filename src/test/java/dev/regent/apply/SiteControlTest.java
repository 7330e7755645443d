package dev.regent.apply;

import static org.assertj.core.api.Assertions.assertThat;

import dev.regent.docker.DockerPort;
import dev.regent.docker.ExecResult;
import dev.regent.fs.HostFiles;
import dev.regent.fs.HostLayout;
import dev.regent.nginx.SiteConfig;
import dev.regent.observe.SiteApplied;
import dev.regent.plan.Action.ApplySite;
import dev.regent.time.Sleeper;
import dev.regent.uwsgi.StatsReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The candidate, test, rename, reload and confirm of a site config on a real folder, with an nginx
 * stand-in that reads the files as nginx would: -t reads the candidate through the candidate main
 * config, a reload loads whatever deploy/nginx/site.conf holds, and the marker answers from what
 * was loaded.
 */
class SiteControlTest {
    private static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");
    private static final Pattern MARKER = Pattern.compile("return 200 \"([^\"]*)\\\\n\";");
    @TempDir
    Path tmp;
    private HostLayout layout;
    private FakeNginx nginx;
    private Executor executor;

    @BeforeEach
    void setUp() throws IOException {
        layout = new HostLayout(tmp);
        Files.createDirectories(tmp.resolve("conf/nginx"));
        Files.copy(Path.of("conf/nginx/nginx.conf"), tmp.resolve("conf/nginx/nginx.conf"));
        nginx = new FakeNginx();
        Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
        Duration second = Duration.ofSeconds(1);
        executor = new Executor(new HostContext("proj", layout, nginx, new StatsReader(Duration.ofMillis(200)), clock,
                new Waiter(Clock.systemUTC(), Sleeper.real(), Duration.ofMillis(10)),
                new HostContext.Timeouts(second, second, second, second, second)), List.of(), line -> { });
    }

    private Path siteConf() {
        return layout.nginxFiles().resolve(SiteConfig.FILE);
    }

    private ApplySite apply(String config, String fingerprint) {
        return new ApplySite(Optional.of(config), Optional.of(fingerprint), "new");
    }

    @Test
    void aPassingConfigIsRenamedInPlaceReloadedConfirmedAndRecorded() throws IOException {
        ActionResult result = executor.apply(apply("# config one\n", "f1"));

        assertThat(result).isInstanceOf(ActionResult.Done.class);
        assertThat(Files.readString(siteConf())).isEqualTo(SiteConfig.file("# config one\n", Optional.of("f1")));
        assertThat(nginx.tested).singleElement().asString()
                .contains("include /code/deploy/nginx/site.conf.candidate;").doesNotContain(SiteConfig.INCLUDE);
        assertThat(nginx.reloads).isEqualTo(1);
        assertThat(HostFiles.readJson(layout.siteApplied(), SiteApplied.class))
                .contains(new SiteApplied(SiteConfig.sha256("# config one\n"), Optional.of("f1"), T0));
        assertThat(layout.nginxFiles()).isDirectoryNotContaining(p -> !p.getFileName().toString().equals(SiteConfig.FILE));
    }

    @Test
    void aConfigNginxRejectsChangesNothingServing() throws IOException {
        executor.apply(apply("# config one\n", "f1"));
        String served = Files.readString(siteConf());
        String applied = Files.readString(layout.siteApplied());

        ActionResult result = executor.apply(apply("BROKEN;\n", "f2"));

        assertThat(result).isInstanceOf(ActionResult.Failed.class);
        assertThat(((ActionResult.Failed) result).reason()).startsWith("nginx -t rejected the new site config, nothing serving changed:")
                .contains("unknown directive \"BROKEN\"");
        assertThat(Files.readString(siteConf())).isEqualTo(served);
        assertThat(Files.readString(layout.siteApplied())).isEqualTo(applied);
        assertThat(nginx.reloads).as("no reload after a failed test").isEqualTo(1);
        assertThat(layout.nginxFiles()).isDirectoryNotContaining(p -> !p.getFileName().toString().equals(SiteConfig.FILE));
    }

    @Test
    void aRenewedCertificateReloadsTheSameConfigAndIsConfirmedByItsFingerprint() throws IOException {
        executor.apply(apply("# config one\n", "f1"));

        ActionResult result = executor.apply(new ApplySite(Optional.of("# config one\n"), Optional.of("f2"),
                "the certificate files changed (renewed)"));

        assertThat(result).isInstanceOf(ActionResult.Done.class);
        assertThat(nginx.reloads).isEqualTo(2);
        assertThat(nginx.loaded).hasValueSatisfying(l -> assertThat(l).contains("certificate f2"));
        assertThat(HostFiles.readJson(layout.siteApplied(), SiteApplied.class).orElseThrow().certificateFingerprint())
                .contains("f2");
    }

    @Test
    void aReloadThatDoesNotTakeIsAFailureAndNotRecorded() {
        nginx.reloadTakes = false;

        ActionResult result = executor.apply(apply("# config one\n", "f1"));

        assertThat(result).isInstanceOf(ActionResult.Failed.class);
        assertThat(((ActionResult.Failed) result).reason()).contains("nginx did not load the new site config");
        assertThat(layout.siteApplied()).doesNotExist();
    }

    @Test
    void aRemovedSiteRemovesTheFileAndItsRecordOnceNginxServesWithoutIt() {
        executor.apply(apply("# config one\n", "f1"));

        ActionResult result = executor.apply(new ApplySite(Optional.empty(), Optional.empty(), "spec.site is gone"));

        assertThat(result).isInstanceOf(ActionResult.Done.class);
        assertThat(siteConf()).doesNotExist();
        assertThat(layout.siteApplied()).doesNotExist();
        assertThat(nginx.tested.get(1)).contains("# (no site)").doesNotContain("/deploy/nginx/");
        assertThat(nginx.loaded).isEmpty();
        assertThat(executor.apply(new ApplySite(Optional.empty(), Optional.empty(), "spec.site is gone")))
                .as("idempotent").isInstanceOf(ActionResult.Done.class);
    }

    /** nginx as far as these files go, reading them from the folder mounted at /code. */
    private final class FakeNginx implements DockerPort {
        final List<String> tested = new ArrayList<>();
        Optional<String> loaded = Optional.empty();
        int reloads;
        boolean reloadTakes = true;

        public Optional<Container> find(String project, String service) {
            assertThat(service).isEqualTo("nginx");
            return Optional.of(new Container("id", "nginx", true));
        }

        public ExecResult exec(Container container, List<String> command, Optional<String> workdir,
                               Map<String, String> env, Duration timeout) {
            if (command.subList(0, 2).equals(List.of("nginx", "-t"))) {
                String main = read(command.get(3));
                tested.add(main.substring(main.indexOf("gzip_types")));
                Matcher include = Pattern.compile("include (/code/deploy/nginx/[^;]+);").matcher(main);
                if (include.find() && read(include.group(1)).contains("BROKEN")) {
                    return new ExecResult(1, "nginx: [emerg] unknown directive \"BROKEN\" in " + include.group(1)
                            + ":1\nnginx: configuration file " + command.get(3) + " test failed\n", false);
                }
                return new ExecResult(0, "nginx: configuration file " + command.get(3) + " test is successful\n", false);
            }
            if (command.subList(0, 3).equals(List.of("nginx", "-s", "reload"))) {
                reloads++;
                if (reloadTakes) {
                    Path site = layout.nginxFiles().resolve(SiteConfig.FILE);
                    loaded = Files.exists(site) ? Optional.of(read("/code/deploy/nginx/" + SiteConfig.FILE)) : Optional.empty();
                }
                return new ExecResult(0, "", false);
            }
            if (command.get(0).equals("curl")) {
                assertThat(command).contains("Host: " + SiteConfig.MARKER_HOST);
                Optional<String> identity = loaded.map(MARKER::matcher).filter(Matcher::find).map(m -> m.group(1));
                return new ExecResult(0, identity.map(i -> i + "\n" + "\n200").orElse("<html>404 Not Found</html>\n404"), false);
            }
            throw new AssertionError("unexpected command " + command);
        }

        private String read(String inContainer) {
            try {
                return Files.readString(tmp.resolve(inContainer.substring("/code/".length())));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
