package dev.regent.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/** Debian's headless Chromium and chromedriver (bin/setup-browser) with a throw-away profile, gone on close. */
final class HeadlessChromium implements AutoCloseable {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    final ChromeDriver driver;
    private final Path profile;

    private HeadlessChromium(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    /** A browser with this window size; {@code extraArguments} go to Chromium after the common ones. */
    static HeadlessChromium open(Dimension window, String... extraArguments) throws IOException {
        // Selenium warns that it has no CDP module for this Chromium; no test uses one.
        Logger.getLogger("org.openqa.selenium.devtools").setLevel(Level.SEVERE);
        assertThat(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER))
                .as("%s and %s are needed: run bin/setup-browser", CHROMIUM, CHROMEDRIVER).isTrue();
        Path profile = Files.createTempDirectory("regent-chromium-");
        var arguments = new ArrayList<>(List.of("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"));
        arguments.addAll(List.of(extraArguments));
        arguments.add("--user-data-dir=" + profile);
        var options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments(arguments);
        var service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().withLogOutput(OutputStream.nullOutputStream()).build();
        var driver = new ChromeDriver(service, options);
        driver.manage().window().setSize(window);
        return new HeadlessChromium(driver, profile);
    }

    @Override
    public void close() throws Exception {
        try {
            driver.quit();
        } finally {
            new ProcessBuilder("rm", "-rf", profile.toString()).start().waitFor();
        }
    }
}
