package dev.sliceplane.cli.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.sliceplane.cli.CliRun;
import dev.sliceplane.cli.FixtureNode;
import dev.sliceplane.cli.FixtureNode.Answer;

/**
 * What each command sends and prints, against {@link FixtureNode} (a loopback fixture answering
 * like the accounts contract; the real node is exercised by AccountsCliIT). Runs with
 * SLICEPLANE_TOKEN so no login is involved.
 */
class CommandsFixtureTest {

    static final String ACCOUNTS = "/api/v1/accounts";
    static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path home;

    private FixtureNode node;

    @BeforeEach
    void start() throws Exception {
        node = new FixtureNode();
        node.on("GET", ACCOUNTS + "/whoami", Answer.json(200,
                "{\"kind\": \"PRINCIPAL\", \"id\": \"pi@princeton.edu\", \"site\": \"princeton\", \"roles\": [\"pi\"]}"));
    }

    @AfterEach
    void stop() {
        node.close();
    }

    private CliRun.Result run(String... args) {
        return new CliRun(home).env("SLICEPLANE_URL", node.url().toString()).env("SLICEPLANE_TOKEN", "tok")
                .clock(Clock.fixed(NOW, ZoneOffset.UTC)).run(args);
    }

    private JsonNode sent() throws Exception {
        return JSON.readTree(node.last().body());
    }

    @Test
    void siteListIsATableForPeopleAndTheNodesJsonForScripts() throws Exception {
        String sites = "[{\"loginBase\": \"princeton\", \"name\": \"Princeton University\", \"url\": \"https://princeton.edu\", \"maxSlices\": 10}]";
        node.on("GET", ACCOUNTS + "/sites", Answer.json(200, sites));

        CliRun.Result table = run("site", "list");
        assertEquals(0, table.exitCode(), table.toString());
        assertEquals("""
                LOGIN BASE  NAME                  MAX SLICES  URL
                princeton   Princeton University  10          https://princeton.edu
                """, table.out());
        assertEquals("Bearer tok", node.last().authorization());

        CliRun.Result json = run("site", "list", "--json");
        assertEquals(JSON.readTree(sites), JSON.readTree(json.out()));
        assertEquals(JSON.readTree(sites), JSON.readTree(run("--json", "site", "list").out()), "global options go anywhere");

        node.on("GET", ACCOUNTS + "/sites", Answer.json(200, "[]"));
        assertEquals("no sites\n", run("site", "list").out());
        assertEquals("[ ]\n", run("site", "list", "--json").out());
    }

    @Test
    void siteAddSendsOnlyWhatWasGiven() throws Exception {
        node.on("POST", ACCOUNTS + "/sites", request -> Answer.json(201, request.body()));
        CliRun.Result added = run("site", "add", "princeton", "--name", "Princeton University", "--max-slices", "10");
        assertEquals(0, added.exitCode(), added.toString());
        assertEquals("added site princeton\n", added.out());
        assertEquals(JSON.readTree("{\"loginBase\": \"princeton\", \"name\": \"Princeton University\", \"maxSlices\": 10}"), sent());
        assertEquals("application/json", node.last().contentType());

        run("site", "add", "mit", "--name", "MIT", "--homepage", "https://mit.edu", "--max-slices", "5");
        assertEquals(JSON.readTree("{\"loginBase\": \"mit\", \"name\": \"MIT\", \"url\": \"https://mit.edu\", \"maxSlices\": 5}"), sent());
    }

    @Test
    void updatesArePartialAndNeedSomethingToChange() throws Exception {
        node.on("PATCH", ACCOUNTS + "/sites/mit", request -> Answer.json(200, "{\"loginBase\": \"mit\"}"));
        assertEquals("updated site mit\n", run("site", "update", "mit", "--max-slices", "20").out());
        assertEquals(JSON.readTree("{\"maxSlices\": 20}"), sent());

        CliRun.Result nothing = run("site", "update", "mit");
        assertEquals(2, nothing.exitCode());
        assertEquals("sliceplane: nothing to update: give at least one option (see --help)\n", nothing.err());
    }

    @Test
    void aRefusalIsOneLineOnStderrAndExitCode1() {
        node.on("DELETE", ACCOUNTS + "/sites/princeton",
                Answer.problem(403, "forbidden", "pi@princeton.edu may not delete sites: admin only"));
        CliRun.Result refused = run("site", "delete", "princeton");
        assertEquals(1, refused.exitCode());
        assertEquals("sliceplane: 403 forbidden: pi@princeton.edu may not delete sites: admin only\n", refused.err());
        assertEquals("", refused.out());
    }

    @Test
    void anUnreachableNodeIsExitCode3AndNamesTheUrl() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        CliRun.Result result = run("--url", "http://127.0.0.1:" + port, "site", "list");
        assertEquals(3, result.exitCode());
        assertEquals("sliceplane: cannot reach the node at http://127.0.0.1:" + port + " (connection refused)\n", result.err());
    }

    @Test
    void principalAddSendsRolesAsTheContractSpellsThem() throws Exception {
        node.on("POST", ACCOUNTS + "/principals", request -> Answer.json(201, request.body()));
        run("principal", "add", "alice@princeton.edu", "--name", "Alice", "--site", "princeton", "--role", "pi,user", "--role", "tech");
        assertEquals(JSON.readTree("""
                {"email": "alice@princeton.edu", "name": "Alice", "site": "princeton", "roles": ["pi", "user", "tech"], "enabled": true}"""),
                sent());

        node.on("PATCH", ACCOUNTS + "/principals/alice@princeton.edu", request -> Answer.json(200, request.body()));
        run("principal", "update", "alice@princeton.edu", "--disable");
        assertEquals(JSON.readTree("{\"enabled\": false}"), sent());
        assertEquals(2, run("principal", "update", "alice@princeton.edu", "--enable", "--disable").exitCode());
    }

    @Test
    void principalListFiltersAndShowsRoles() {
        node.on("GET", ACCOUNTS + "/principals?site=princeton", Answer.json(200, """
                [{"email": "alice@princeton.edu", "name": "Alice", "site": "princeton", "roles": ["pi", "user"], "enabled": true}]"""));
        assertEquals("""
                EMAIL                NAME   SITE       ROLES    ENABLED
                alice@princeton.edu  Alice  princeton  pi,user  yes
                """, run("principal", "list", "--site", "princeton").out());
    }

    @Test
    void principalPasswordComesFromStdinAndIsPut() throws Exception {
        node.on("PUT", ACCOUNTS + "/principals/alice@princeton.edu/password", Answer.noContent());
        CliRun.Result set = new CliRun(home).env("SLICEPLANE_URL", node.url().toString()).env("SLICEPLANE_TOKEN", "tok")
                .stdin("a long enough password\n").run("principal", "password", "alice@princeton.edu", "--password-stdin");
        assertEquals(0, set.exitCode(), set.toString());
        assertEquals(JSON.readTree("{\"password\": \"a long enough password\"}"), sent());
        assertEquals(1, run("principal", "password", "alice@princeton.edu").exitCode(), "no terminal in tests");
    }

    @Test
    void sliceAddTurnsRelativeExpiryIntoAnInstant() throws Exception {
        node.on("POST", ACCOUNTS + "/slices", request -> Answer.json(201, request.body()));
        CliRun.Result added = run("slice", "add", "princeton_codeen", "--description", "CDN", "--expires", "4w",
                "--member", "alice@princeton.edu,bob@princeton.edu", "--max-slivers", "100");
        assertEquals(0, added.exitCode(), added.toString());
        assertEquals(JSON.readTree("""
                {"name": "princeton_codeen", "description": "CDN", "expires": "2026-12-24T12:00:00Z",
                 "maxSlivers": 100, "members": ["alice@princeton.edu", "bob@princeton.edu"]}"""), sent());
        CliRun.Result bad = run("slice", "add", "princeton_x", "--expires", "soon", "--max-slivers", "1");
        assertEquals(2, bad.exitCode());
        assertTrue(bad.err().startsWith("sliceplane: 'soon' is not an expiry."), bad.err());
    }

    @Test
    void memberAddAndRemoveUseTheSlicesMembersPath() {
        node.on("PUT", ACCOUNTS + "/slices/princeton_codeen/members/bob@princeton.edu",
                Answer.json(200, "{\"name\": \"princeton_codeen\", \"members\": [\"bob@princeton.edu\"]}"));
        node.on("DELETE", ACCOUNTS + "/slices/princeton_codeen/members/bob@princeton.edu",
                Answer.json(200, "{\"name\": \"princeton_codeen\", \"members\": []}"));
        assertEquals("added bob@princeton.edu to slice princeton_codeen\n",
                run("member", "add", "princeton_codeen", "bob@princeton.edu").out());
        assertEquals("removed bob@princeton.edu from slice princeton_codeen\n",
                run("member", "remove", "princeton_codeen", "bob@princeton.edu").out());
        assertEquals(2, run("member", "add", "princeton_codeen").exitCode());
    }

    @Test
    void keyAddReadsThePublicKeyLineAndDefaultsTheOwnerToTheCaller() throws Exception {
        Path pub = home.resolve("id_ed25519.pub");
        Files.writeString(pub, "# comment\nssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGBe alice@laptop\n");
        node.on("POST", ACCOUNTS + "/keys", Answer.json(201,
                "{\"owner\": \"pi@princeton.edu\", \"type\": \"ssh-ed25519\", \"key\": \"AAAA\", \"fingerprint\": \"SHA256:abc\"}"));
        CliRun.Result added = run("key", "add", "--file", pub.toString());
        assertEquals(0, added.exitCode(), added.toString());
        assertEquals("added key SHA256:abc for pi@princeton.edu\n", added.out());
        assertEquals(JSON.readTree("{\"owner\": \"pi@princeton.edu\", \"key\": \"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGBe alice@laptop\"}"),
                sent());

        Path secret = home.resolve("id_ed25519");
        Files.writeString(secret, "-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbn\n-----END OPENSSH PRIVATE KEY-----\n");
        int before = node.requests().size();
        CliRun.Result refused = run("key", "add", "--owner", "a@b.org", "--file", secret.toString());
        assertEquals(1, refused.exitCode());
        assertEquals("sliceplane: " + secret + " holds a private key; give the public one (the .pub file)\n", refused.err());
        assertEquals(before, node.requests().size(), "nothing was sent");
    }

    @Test
    void keyFingerprintsTravelInTheUrlSafeAlphabet() {
        node.on("DELETE", ACCOUNTS + "/keys/SHA256:ab_c-d", Answer.noContent());
        CliRun.Result deleted = run("key", "delete", "SHA256:ab/c+d");
        assertEquals(0, deleted.exitCode(), deleted.toString());
        assertEquals("deleted key SHA256:ab/c+d\n", deleted.out());
        assertEquals("", run("key", "delete", "SHA256:ab/c+d", "--json").out(), "a 204 has nothing for scripts");
    }

    @Test
    void nodeCommandsSpellBootStatesAsTheNodeDoes() throws Exception {
        node.on("POST", ACCOUNTS + "/nodes", request -> Answer.json(201, request.body()));
        run("node", "add", "planetlab1.cs.princeton.edu", "--site", "princeton");
        assertEquals(JSON.readTree("{\"hostname\": \"planetlab1.cs.princeton.edu\", \"site\": \"princeton\"}"), sent(),
                "without --boot-state the node's default applies");
        run("node", "add", "planetlab2.cs.princeton.edu", "--site", "princeton", "--boot-state", "boot");
        assertEquals("BOOT", sent().path("bootState").asText());
        node.on("GET", ACCOUNTS + "/nodes?bootState=SAFEBOOT", Answer.json(200, """
                [{"hostname": "planetlab1.cs.princeton.edu", "site": "princeton", "identityKey": "", "bootState": "SAFEBOOT"}]"""));
        assertEquals("""
                HOSTNAME                     SITE       BOOT STATE  REGISTERED
                planetlab1.cs.princeton.edu  princeton  SAFEBOOT    no
                """, run("node", "list", "--boot-state", "safeboot").out());
    }

    @Test
    void secretsShownOnceGoAloneToStdout() {
        node.on("POST", ACCOUNTS + "/nodes/n1.princeton.edu/bootstrap-tokens",
                Answer.json(201, "{\"bootstrapToken\": \"bt_123\", \"expiresAt\": \"2026-11-27T12:00:00Z\"}"));
        CliRun.Result bootstrap = run("node", "bootstrap-token", "n1.princeton.edu");
        assertEquals("bt_123\n", bootstrap.out());
        assertTrue(bootstrap.err().contains("valid until 2026-11-27T12:00:00Z"), bootstrap.err());

        node.on("POST", ACCOUNTS + "/principals/pi@princeton.edu/api-keys", Answer.json(201,
                "{\"id\": \"k1\", \"principal\": \"pi@princeton.edu\", \"created\": \"2026-11-26T12:00:00Z\", \"apiKey\": \"sp_k1.secret\"}"));
        CliRun.Result created = run("apikey", "create");
        assertEquals(0, created.exitCode(), created.toString());
        assertEquals("sp_k1.secret\n", created.out());
        assertTrue(created.err().contains("created API key k1 for pi@princeton.edu"), created.err());
    }

    @Test
    void apiKeysOfTheCallerByDefault() {
        node.on("GET", ACCOUNTS + "/principals/pi@princeton.edu/api-keys", Answer.json(200,
                "[{\"id\": \"k1\", \"principal\": \"pi@princeton.edu\", \"created\": \"2026-11-26T12:00:00Z\"}]"));
        assertEquals("""
                ID  PRINCIPAL         CREATED
                k1  pi@princeton.edu  2026-11-26T12:00:00Z
                """, run("apikey", "list").out());
        node.on("DELETE", ACCOUNTS + "/principals/bob@princeton.edu/api-keys/k9", Answer.noContent());
        assertEquals("deleted API key k9 of bob@princeton.edu\n", run("apikey", "delete", "k9", "--principal", "bob@princeton.edu").out());
    }

    @Test
    void whoamiShowsTheNestedPrincipalUnderDottedNames() {
        node.on("GET", ACCOUNTS + "/whoami", Answer.json(200, """
                {"kind": "PRINCIPAL", "id": "pi@princeton.edu", "roles": ["pi"],
                 "principal": {"email": "pi@princeton.edu", "name": "Pat"}}"""));
        assertEquals("""
                kind             PRINCIPAL
                id               pi@princeton.edu
                roles            pi
                principal.email  pi@princeton.edu
                principal.name   Pat
                """, run("whoami").out());
    }

    @Test
    void showPrintsFieldsAligned() {
        node.on("GET", ACCOUNTS + "/slices/princeton_codeen", Answer.json(200, """
                {"name": "princeton_codeen", "description": "CDN", "url": null, "expires": "2026-12-24T12:00:00Z",
                 "members": ["alice@princeton.edu"], "maxSlivers": 100}"""));
        assertEquals("""
                name         princeton_codeen
                description  CDN
                url          -
                expires      2026-12-24T12:00:00Z
                members      alice@princeton.edu
                maxSlivers   100
                """, run("slice", "show", "princeton_codeen").out());
    }
}
