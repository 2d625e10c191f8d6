package dev.sliceplane.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.chrome.ChromeDriver;

import com.fasterxml.jackson.databind.JsonNode;

import dev.sliceplane.it.DashboardPage.Cell;

/**
 * The web dashboard in a real browser (Debian's headless Chromium): it shows what the API reports,
 * swaps from its buttons, follows changes made elsewhere, and recovers when its node restarts,
 * all without a script error. The page is opened once, so later tests see it refresh itself.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardIT {

    @TempDir
    static Path tmp;
    static NodeProcess node;
    static Http http;
    static ChromeDriver browser;
    static DashboardPage page;

    @BeforeAll
    static void startNodeAndBrowser() throws Exception {
        Optional<String> unavailable = HeadlessChromium.unavailable();
        if (unavailable.isPresent()) {
            // Said once here; each test then reports itself skipped (failed under CI).
            System.out.println("DashboardIT: " + unavailable.get());
            return;
        }
        node = new NodeProcess(tmp.resolve("node")).start();
        http = node.http();
        // A sub-service with two implementations, so the page has a swap button to offer.
        for (byte[] bundle : List.of(TestBundles.greeterApi(), TestBundles.greeterA(), TestBundles.greeterB(),
                TestBundles.greeterConsumer())) {
            Http.Response installed = http.post("/api/v1/bundles", "application/java-archive", bundle);
            assertEquals(201, installed.status(), installed.body());
        }
        // The swap manager starts the default implementation on its own executor, after the install answered.
        http.awaitJson("/api/v1/services/greeter", s -> "it.greeter.a".equals(s.path("active").asText()), Duration.ofSeconds(60));
        browser = HeadlessChromium.start();
        page = new DashboardPage(browser, "http://127.0.0.1:" + node.port() + "/").open();
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (node != null) {
            node.stop();
        }
    }

    @BeforeEach
    void needsTheBrowser() {
        HeadlessChromium.assumeInstalled();
    }

    /** Every step leaves the page without a script error and without an error shown. */
    @AfterEach
    void pageIsClean() {
        if (page == null) {
            return;
        }
        assertEquals(List.of(), HeadlessChromium.consoleErrors(browser), "console errors");
        assertEquals("", page.text("error"), "error shown on the page");
    }

    @Test
    @Order(0)
    void asksForAnApiKeyAndShowsNothingUntilSignedIn() {
        page.await("the sign-in request", () -> page.text("error").equals("sign in to see this node"));
        assertTrue(page.shown("login"));
        assertEquals("", page.text("node-line"));
        assertEquals(List.of(), page.rows("bundles"));

        page.signIn("sp_wrong.key");
        page.await("the refusal", () -> page.text("error").startsWith("sign-in failed: "));
        List<String> errors = HeadlessChromium.consoleErrors(browser);
        assertTrue(errors.stream().allMatch(e -> e.contains("401")), "only the refused sign-in: " + errors);

        page.signIn(node.adminApiKey());
        page.await("the signed-in administrator", () -> !page.shown("login") && page.shown("session"));
        page.await("the node line", () -> !page.text("node-line").isEmpty());
        assertEquals("admin@sliceplane.local (admin)", page.text("who"));
    }

    @Test
    @Order(1)
    void showsTheNodeTheApiDescribes() throws Exception {
        JsonNode described = http.get("/api/v1/node").json();
        page.await("the node's id", () -> page.text("node-line").contains("id " + described.get("id").asText()));
        assertEquals(described.get("name").asText(), page.text("node-name"));
        String line = page.text("node-line");
        assertTrue(line.contains("version " + described.get("version").asText()), line);
        assertTrue(line.contains("site " + described.get("site").asText()), line);
        assertTrue(line.contains("roles authority, node"), line);
    }

    @Test
    @Order(2)
    void listsEveryHealthCheckWithItsStatus() throws Exception {
        List<List<String>> checks = new ArrayList<>();
        for (JsonNode check : http.get("/api/v1/health").json().get("checks")) {
            // The status twice: as text, and as the class that colours it.
            checks.add(List.of(check.get("name").asText(), check.get("status").asText(), check.get("status").asText()));
        }
        page.await("the health checks " + checks, () -> page.rows("health").stream()
                .map(row -> List.of(row.get(0).text(), row.get(1).text(), row.get(1).cls()))
                .toList().equals(checks));
        assertEquals("UP", page.text("health-status"));
    }

    @Test
    @Order(3)
    void listsTheManagementSlicesWithTheirLimits() throws Exception {
        Set<String> slices = names(http.get("/api/v1/slices").json());
        // Every management bundle of the runtime has its slice (more join as sub-services land), and
        // the test's own bundles have theirs; the page shows exactly what the API lists.
        assertTrue(slices.containsAll(Set.of("mgmt_platform", "mgmt_accounts", "mgmt_agent", "mgmt_nodemanager",
                "mgmt_monitor", "mgmt_greeter", "mgmt_greeterclient")), slices.toString());
        page.await("the slices " + slices, () -> firstCells("slices").equals(slices));
        List<Cell> platform = page.row("slices", "mgmt_platform").orElseThrow();
        assertEquals("RUNNING", platform.get(1).text());
        assertEquals("0.5", platform.get(4).text(), "its CPU share");
        assertEquals("dev.sliceplane.platform", platform.get(8).text());
        assertTrue(Long.parseLong(platform.get(7).text()) > 0, "the dashboard's own requests are counted");
    }

    @Test
    @Order(4)
    void listsEveryBundleAsTheApiReportsIt() throws Exception {
        List<List<String>> bundles = new ArrayList<>();
        for (JsonNode b : http.get("/api/v1/bundles").json()) {
            bundles.add(List.of(b.get("id").asText(), b.get("symbolicName").asText(), b.get("version").asText(),
                    b.get("state").asText(), b.get("slice").isNull() ? "" : b.get("slice").asText()));
        }
        // Compared whole, and awaited: the page may still show a refresh older than the API's answer.
        page.await("the bundles " + bundles, () -> page.rows("bundles").stream()
                .map(row -> row.stream().map(Cell::text).toList())
                .toList().equals(bundles));
    }

    @Test
    @Order(5)
    void offersToSwapOnlyToTheInactiveImplementation() {
        page.await("greeter served by it.greeter.a", () -> activeGreeter().equals("it.greeter.a"));
        String implementations = page.row("services", "greeter").orElseThrow().get(2).text();
        assertTrue(implementations.contains("it.greeter.a (active)"), implementations);
        assertTrue(implementations.contains("swap to it.greeter.b"), implementations);
        assertFalse(implementations.contains("swap to it.greeter.a"), implementations);
    }

    @Test
    @Order(6)
    void swapsFromItsButton() throws Exception {
        page.clickSwap("greeter", "it.greeter.b");
        page.await("greeter swapped to it.greeter.b", () -> activeGreeter().equals("it.greeter.b"));
        assertEquals("it.greeter.b", http.get("/api/v1/services/greeter").json().get("active").asText());
    }

    @Test
    @Order(7)
    void followsChangesMadeThroughTheApi() throws Exception {
        Http.Response swap = http.postJson("/api/v1/services/greeter/swap", "{\"implementation\":\"it.greeter.a\"}");
        assertEquals(200, swap.status(), swap.body());
        Http.Response installed = http.post("/api/v1/bundles", "application/java-archive", TestBundles.steady());
        assertEquals(201, installed.status(), installed.body());

        // No reload: the page's own periodic refresh must pick these up.
        page.await("greeter swapped back to it.greeter.a", () -> activeGreeter().equals("it.greeter.a"));
        page.await("the installed bundle it.steady", () -> page.rows("bundles").stream()
                .anyMatch(row -> row.get(1).text().equals("it.steady") && row.get(3).text().equals("ACTIVE")));
        page.await("the slice mgmt_steady", () -> page.row("slices", "mgmt_steady").isPresent());
    }

    @Test
    @Order(8)
    void saysWhenTheNodeIsUnreachableAndRecoversWhenItIsBack() throws Exception {
        node.stop();
        page.await("that the node cannot be reached", () -> page.text("error").startsWith("cannot reach the node"));
        // A swap asked for now fails, and must say so rather than end in an uncaught rejection.
        page.requestSwap("greeter", "it.greeter.b");

        node = new NodeProcess(node.dataDir(), node.port()).start();
        http = node.http();
        page.await("no error once the node is back", () -> page.text("error").isEmpty());
        page.await("the node's health again", () -> "UP".equals(page.text("health-status")));

        // Requests refused while the node was down are logged; nothing else may be.
        List<String> unexpected = HeadlessChromium.consoleErrors(browser).stream()
                .filter(message -> !message.contains("Failed to load resource"))
                .toList();
        assertEquals(List.of(), unexpected, "console errors besides the refused requests");
    }

    @Test
    @Order(9)
    void showsSliversWithTheBackendAndLatestUsage() throws Exception {
        assertEquals(201, http.post("/api/v1/bundles", "application/java-archive", TestBundles.vmmProbe()).status());
        String backend = http.get("/api/v1/vmm").json().path("backend").path("name").asText();
        page.await("the VMM backend named", () -> page.text("vmm-backend").startsWith(backend + ":"));
        awaitStatus(200, "/api/v1/it/vmm/create?name=dash_sleeper&memory=" + (64 << 20));
        try {
            awaitStatus(200, "/api/v1/it/vmm/launch?name=dash_sleeper&cmd=sleep&cmd=600");
            page.await("the sliver running with its limits", () -> page.row("slivers", "dash_sleeper")
                    .filter(row -> row.get(1).text().equals("RUNNING") && row.get(1).cls().equals("RUNNING")
                            && row.get(6).text().equals("memory 64.0 MiB")
                            && row.get(7).text().equals("1 running / 1"))
                    .isPresent());
        } finally {
            awaitStatus(200, "/api/v1/it/vmm/destroy?name=dash_sleeper");
        }
        page.await("the sliver gone", () -> page.row("slivers", "dash_sleeper").isEmpty());
    }

    @Test
    @Order(10)
    void showsTheLeasesTheNodeManagerHolds() throws Exception {
        page.await("no lease yet", () -> page.text("leases-note").equals("none on this node"));
        // The all-in-one node's own site is "local"; the broker needs the node's capacity report
        // (sent soon after the restart above), so its first answers may be refusals.
        Http.Response slice = http.postJson("/api/v1/accounts/slices",
                "{\"name\":\"local_dash\",\"expires\":\"2099-01-01T00:00:00Z\",\"maxSlivers\":1}");
        assertEquals(201, slice.status(), slice.body());
        String request = "{\"slice\":\"local_dash\",\"count\":1,\"duration\":\"PT1H\",\"resources\":"
                + "{\"cpu\":0.2,\"memory\":67108864,\"processes\":32,\"disk\":0}}";
        long deadline = System.nanoTime() + DashboardPage.TIMEOUT.toNanos();
        Http.Response tickets = http.postJson("/api/v1/broker/requests", request);
        while (tickets.status() != 200 && System.nanoTime() < deadline) {
            Thread.sleep(250);
            tickets = http.postJson("/api/v1/broker/requests", request);
        }
        assertEquals(200, tickets.status(), tickets.body());
        String ticket = tickets.json().path("tickets").get(0).path("ticket").asText();
        Http.Response granted = http.postJson("/api/v1/leases", "{\"ticket\":\"" + ticket + "\"}");
        assertEquals(201, granted.status(), granted.body());
        JsonNode lease = granted.json();
        String id = lease.path("id").asText();

        page.await("the lease " + id, () -> page.row("leases", id)
                .filter(row -> row.get(1).text().equals("local_dash")
                        && row.get(2).text().equals(lease.path("sliver").asText())
                        && row.get(3).text().equals("cpu 0.2, memory 64.0 MiB, processes 32")
                        && row.get(4).text().equals(lease.path("end").asText())
                        && row.get(5).text().equals("active") && row.get(5).cls().equals("active"))
                .isPresent());
        assertEquals("", page.text("leases-note"));

        assertEquals(204, http.delete("/api/v1/leases/" + id).status());
        page.await("the lease released", () -> page.row("leases", id).isEmpty()
                && page.text("leases-note").equals("none on this node"));
    }

    /** Posts to the probe, retrying while its servlet is still being registered. */
    private static void awaitStatus(int expected, String path) throws Exception {
        long deadline = System.nanoTime() + DashboardPage.TIMEOUT.toNanos();
        Http.Response response = http.postJson(path, "{}");
        while (response.status() != expected && System.nanoTime() < deadline) {
            Thread.sleep(100);
            response = http.postJson(path, "{}");
        }
        assertEquals(expected, response.status(), response.body());
    }

    private static String activeGreeter() {
        return page.row("services", "greeter").map(row -> row.get(1).text()).orElse("");
    }

    private static Set<String> firstCells(String table) {
        return page.rows(table).stream().map(row -> row.get(0).text()).collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> names(JsonNode array) {
        Set<String> names = new TreeSet<>();
        array.forEach(item -> names.add(item.get("name").asText()));
        return names;
    }
}
