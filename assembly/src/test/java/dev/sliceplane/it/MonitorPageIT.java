package dev.sliceplane.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

import com.fasterxml.jackson.databind.JsonNode;

import dev.sliceplane.it.DashboardPage.Cell;

/**
 * The monitor's page in a real browser (Debian's headless Chromium) over real slivers: a CPU
 * burner and a sleeper. Reached from the dashboard after signing in there, it shows the node's
 * figures, sorts and filters the slivers through the query API, says what is wrong with a bad
 * query, and draws a sliver's history.
 */
class MonitorPageIT {

    /** How long to wait for a node to show what a step should have caused. */
    private static final Duration AWAIT = Duration.ofSeconds(30);

    @TempDir
    Path tmp;

    private final String cgroupRoot = "sliceplane-it-" + UUID.randomUUID().toString().substring(0, 8);
    private NodeProcess node;
    private ChromeDriver browser;

    @AfterEach
    void stop() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (node != null) {
            for (String sliver : List.of("it_burner", "it_sleeper")) {
                node.http().postJson("/api/v1/it/vmm/destroy?name=" + sliver, "{}");
            }
            node.close();
        }
        CgroupRoots.removeAll(cgroupRoot);
    }

    @Test
    void showsSortsFiltersAndChartsRealSlivers() throws Exception {
        HeadlessChromium.assumeInstalled();
        Path data = tmp.resolve("node");
        Files.createDirectories(data.resolve("etc"));
        Files.writeString(data.resolve("etc/dev.sliceplane.vmm.cfg"),
                "sampleSeconds = 1\nlinux.cgroupRoot = " + cgroupRoot + "\n");
        node = new NodeProcess(data).start();
        Http http = node.http();
        assertEquals(201, http.post("/api/v1/bundles", "application/java-archive", TestBundles.vmmProbe()).status());
        http.awaitJson("/api/v1/it/vmm", body -> body.path("samples").asLong() > 0, AWAIT);
        for (String sliver : List.of("it_burner", "it_sleeper")) {
            assertEquals(200, http.postJson("/api/v1/it/vmm/create?name=" + sliver, "{}").status());
        }
        http.postJson("/api/v1/it/vmm/launch?name=it_burner&cmd=sh&cmd=-c&cmd=while%20:;%20do%20:;%20done", "{}");
        http.postJson("/api/v1/it/vmm/launch?name=it_sleeper&cmd=sleep&cmd=600", "{}");
        String hostname = http.awaitJson("/api/v1/monitor/node", body -> body.has("hostname"), AWAIT).path("hostname").asText();

        browser = HeadlessChromium.start();
        DashboardPage dashboard = new DashboardPage(browser, "http://127.0.0.1:" + node.port() + "/").open();
        dashboard.signIn(node.adminApiKey());
        dashboard.await("the link to the monitor", () -> dashboard.shown("monitor-link"));
        browser.findElement(By.id("monitor-link")).click();

        // The same tab keeps the dashboard's sign-in, so the monitor reads the API with it.
        DashboardPage monitor = new DashboardPage(browser, "http://127.0.0.1:" + node.port() + "/monitor");
        monitor.await("the node's figures", () -> monitor.rows("node").size() == 1);
        assertEquals(hostname, monitor.text("node-name"));
        monitor.await("the burner first, sorted by CPU", () -> {
            List<List<Cell>> rows = monitor.rows("slivers");
            return rows.size() == 2 && rows.get(0).get(0).text().equals("it_burner")
                    && figure(rows.get(0).get(2).text()) > 0.3;
        });

        where(monitor, "cpu < 0.1");
        monitor.await("only the sleeper", () -> names(monitor).equals(List.of("it_sleeper")));

        where(monitor, "cpu >> 1");
        monitor.await("why the query is refused", () -> monitor.text("error").contains("where"));

        where(monitor, "");
        clickHeader(monitor, "sliver");
        monitor.await("the slivers by name, descending", () -> names(monitor).equals(List.of("it_sleeper", "it_burner")));
        assertEquals("", monitor.text("error"));

        clickRow(monitor, "it_burner");
        monitor.await("the burner's history", () -> monitor.shown("history")
                && monitor.text("history-subject").equals("it_burner") && monitor.text("history-range").contains("points"));
        List<String> errors = HeadlessChromium.consoleErrors(browser);
        assertTrue(errors.stream().allMatch(e -> e.contains("where=cpu+%3E%3E+1") && e.contains("400")),
                "only the refused query: " + errors);
    }

    private static List<String> names(DashboardPage page) {
        return page.rows("slivers").stream().map(row -> row.get(0).text()).toList();
    }

    private void where(DashboardPage page, String query) {
        WebElement box = browser.findElement(By.id("where"));
        box.clear();
        box.sendKeys(query);
        browser.findElement(By.cssSelector("#query button[type=submit]")).click();
    }

    private void clickHeader(DashboardPage page, String label) {
        page.await("the column " + label,
                () -> clicked(By.xpath("//table[@id='slivers']/thead//button[.='" + label + "']")));
    }

    private void clickRow(DashboardPage page, String sliver) {
        page.await("the row of " + sliver, () -> clicked(By.xpath("//table[@id='slivers']/tbody/tr[td[1]='" + sliver + "']")));
    }

    /** Clicks the element, or says it could not: the page redraws its tables as samples arrive. */
    private boolean clicked(By element) {
        try {
            browser.findElement(element).click();
            return true;
        } catch (WebDriverException e) {
            return false;
        }
    }

    /** A figure as the page shows it; NaN for "-", which the page shows until the first sample has one. */
    private static double figure(String text) {
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException notYet) {
            return Double.NaN;
        }
    }
}
