package dev.sliceplane.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Debian's {@code chromium} and {@code chromium-driver}, driven headless through Selenium. Both
 * paths are given to Selenium, so Selenium Manager never runs (it would try to download a browser
 * and a driver, which this build must not depend on).
 */
final class HeadlessChromium {

    static final Path BROWSER = Path.of(System.getProperty("sliceplane.chromium", "/usr/bin/chromium"));
    static final Path DRIVER = Path.of(System.getProperty("sliceplane.chromedriver", "/usr/bin/chromedriver"));

    /**
     * Selenium looks for DevTools bindings of the browser's version at start and warns when it has
     * none (Debian's Chromium can be older than Selenium's range); these tests use no DevTools.
     * Held here so the logger, and its level, are not collected.
     */
    private static final Logger CDP_VERSION_FINDER = Logger.getLogger("org.openqa.selenium.devtools.CdpVersionFinder");

    static {
        CDP_VERSION_FINDER.setLevel(Level.SEVERE);
    }

    private HeadlessChromium() {
    }

    /** Why the browser cannot run here, or empty when it can. */
    static Optional<String> unavailable() {
        List<Path> missing = Stream.of(BROWSER, DRIVER).filter(path -> !Files.isExecutable(path)).toList();
        return missing.isEmpty() ? Optional.empty() : Optional.of("no executable " + missing
                + "; install Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)"
                + " to run the dashboard test");
    }

    /**
     * Skips the calling test when the browser or its driver is missing; under CI=true, where
     * {@code .ci/run} installs both, their absence is a failure instead.
     */
    static void assumeInstalled() {
        Optional<String> unavailable = unavailable();
        if (unavailable.isEmpty()) {
            return;
        }
        if ("true".equals(System.getenv("CI"))) {
            fail(unavailable.get() + " (.ci/run should have installed them)");
        }
        Assumptions.abort(unavailable.get());
    }

    /** Starts a headless browser that records its console; quit it when done. */
    static ChromeDriver start() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BROWSER.toFile());
        // Tests run as root, where Chromium's sandbox refuses to start; /dev/shm may be small in containers.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1024");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability(ChromeOptions.LOGGING_PREFS, logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort()
                .build();
        return new ChromeDriver(service, options);
    }

    /**
     * The console errors logged since the last call: uncaught exceptions, unhandled rejections,
     * {@code console.error} and failed loads. Chrome empties its log when it is read.
     */
    static List<String> consoleErrors(WebDriver driver) {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage)
                .toList();
    }
}
