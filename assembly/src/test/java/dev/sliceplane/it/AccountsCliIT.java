package dev.sliceplane.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPairGenerator;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The command line end to end: the repository's {@code sliceplane} script runs the built
 * distribution's CLI against a real node. The administrator logs in with the API key the node
 * wrote on first start, adds a site, a principal, a slice, a member, an SSH key and a node (and its
 * bootstrap token), and lists them as tables and as JSON; a PI's refused call exits 1 with the
 * node's reason on one line; an unreachable URL exits 3.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AccountsCliIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String PI = "pi@princeton.edu";
    static final String SLICE = "princeton_codeen";

    @TempDir
    static Path tmp;
    static NodeProcess node;
    static CliProcess admin;
    static String url;

    @BeforeAll
    static void start() throws Exception {
        node = new NodeProcess(tmp.resolve("node")).start();
        url = "http://127.0.0.1:" + node.port();
        admin = new CliProcess(tmp.resolve("admin-home"), url);
    }

    @AfterAll
    static void stop() throws Exception {
        if (node != null) {
            node.close();
        }
    }

    @Test
    @Order(1)
    void theAdministratorLogsInWithTheKeyTheNodeWrote() throws Exception {
        node.adminApiKey(); // waits until the node has written it
        Path keyFile = node.dataDir().resolve("accounts/admin-api-key");
        CliProcess.Result login = ok(admin.run("login", "--api-key-file", keyFile.toString()));
        assertTrue(login.out().startsWith("logged in to " + url + " as admin@sliceplane.local (token valid until "), login.toString());

        Path tokens = admin.home().resolve(".config/sliceplane/tokens.json");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(tokens)));
        assertTrue(!Files.readString(tokens).contains(node.adminApiKey()), "the API key itself is not stored");

        JsonNode me = json(ok(admin.run("whoami", "--json")));
        assertEquals("admin@sliceplane.local", me.path("id").asText(), me.toString());
        assertTrue(ok(admin.run("whoami")).out().contains("admin@sliceplane.local"));
    }

    @Test
    @Order(2)
    void theAdministratorAddsASitePrincipalSliceMemberAndKey() throws Exception {
        assertEquals("added site princeton\n", ok(admin.run("site", "add", "princeton", "--name", "Princeton University",
                "--homepage", "https://www.princeton.edu", "--max-slices", "10")).out());
        assertEquals("added principal " + PI + "\n",
                ok(admin.run("principal", "add", PI, "--name", "Pat Investigator", "--site", "princeton", "--role", "pi,user")).out());
        assertEquals("added slice " + SLICE + "\n", ok(admin.run("slice", "add", SLICE, "--description", "CoDeeN CDN",
                "--expires", "4w", "--max-slivers", "50")).out());
        assertEquals("added " + PI + " to slice " + SLICE + "\n", ok(admin.run("member", "add", SLICE, PI)).out());

        Path pub = tmp.resolve("id_ed25519.pub");
        Files.writeString(pub, ed25519PublicKeyLine("pat@laptop"));
        CliProcess.Result key = ok(admin.run("key", "add", "--owner", PI, "--file", pub.toString()));
        assertTrue(key.out().matches("added key SHA256:\\S+ for " + PI + "\n"), key.toString());
    }

    @Test
    @Order(3)
    void listsAreTablesForPeopleAndJsonForScripts() throws Exception {
        List<String> sites = ok(admin.run("site", "list")).out().lines().toList();
        assertTrue(sites.get(0).matches("LOGIN BASE +NAME +MAX SLICES +URL"), sites.toString());
        assertTrue(sites.stream().anyMatch(line -> line.matches("princeton +Princeton University +10 +https://www.princeton.edu")),
                sites.toString());
        JsonNode siteJson = json(ok(admin.run("site", "list", "--json")));
        assertTrue(siteJson.isArray());
        assertTrue(contains(siteJson, "loginBase", "princeton"), siteJson.toString());

        List<String> principals = ok(admin.run("principal", "list", "--site", "princeton")).out().lines().toList();
        assertTrue(principals.get(0).matches("EMAIL +NAME +SITE +ROLES +ENABLED"), principals.toString());
        assertTrue(principals.get(1).matches(PI.replace(".", "\\.") + " +Pat Investigator +princeton +pi,user +yes"), principals.toString());
        JsonNode principalJson = json(ok(admin.run("principal", "show", PI, "--json")));
        assertEquals("princeton", principalJson.path("site").asText());

        List<String> slices = ok(admin.run("slice", "list")).out().lines().toList();
        assertTrue(slices.get(0).matches("NAME +EXPIRES +MAX SLIVERS +MEMBERS +DESCRIPTION"), slices.toString());
        assertTrue(slices.stream().anyMatch(line -> line.startsWith(SLICE) && line.contains(PI) && line.endsWith("CoDeeN CDN")),
                slices.toString());
        JsonNode slice = json(ok(admin.run("--json", "slice", "show", SLICE)));
        assertEquals(List.of(PI), JSON.convertValue(slice.path("members"), List.class), slice.toString());
        assertEquals(50, slice.path("maxSlivers").asInt());

        List<String> keys = ok(admin.run("key", "list", "--owner", PI)).out().lines().toList();
        assertTrue(keys.get(0).matches("OWNER +TYPE +FINGERPRINT"), keys.toString());
        assertTrue(keys.get(1).matches(PI.replace(".", "\\.") + " +ssh-ed25519 +SHA256:\\S+"), keys.toString());
        JsonNode keyJson = json(ok(admin.run("key", "list", "--owner", PI, "--json")));
        String fingerprint = keyJson.get(0).path("fingerprint").asText();
        assertEquals(PI, json(ok(admin.run("key", "show", fingerprint, "--json"))).path("owner").asText(),
                "a fingerprint with '/' and '+' survives the path");

        assertEquals("no nodes\n", ok(admin.run("node", "list", "--site", "princeton")).out());
    }

    @Test
    @Order(4)
    void aNodeIsRegisteredAndGetsABootstrapToken() throws Exception {
        String host = "planetlab1.cs.princeton.edu";
        assertEquals("added node " + host + "\n", ok(admin.run("node", "add", host, "--site", "princeton")).out());
        List<String> nodes = ok(admin.run("node", "list", "--site", "princeton")).out().lines().toList();
        assertTrue(nodes.get(1).matches(host.replace(".", "\\.") + " +princeton +INSTALL +no"), nodes.toString());

        CliProcess.Result token = ok(admin.run("node", "bootstrap-token", host));
        assertTrue(token.out().matches("\\S+\n"), "the token alone on stdout: " + token);
        assertTrue(token.err().contains("valid until"), token.toString());
    }

    @Test
    @Order(5)
    void aRefusedCallExitsOneWithTheNodesReasonOnOneLine() throws Exception {
        String piKey = ok(admin.run("apikey", "create", PI)).out().strip();
        CliProcess pi = new CliProcess(tmp.resolve("pi-home"), url).with("SLICEPLANE_API_KEY", piKey);
        assertEquals(PI, json(ok(pi.run("whoami", "--json"))).path("id").asText(), "logged in silently from SLICEPLANE_API_KEY");

        CliProcess.Result refused = pi.run("site", "delete", "princeton");
        assertEquals(1, refused.exitCode(), refused.toString());
        assertEquals("", refused.out());
        assertEquals(1, refused.err().lines().count(), refused.toString());
        assertTrue(refused.err().startsWith("sliceplane: 403 forbidden: "), refused.toString());

        CliProcess.Result missing = admin.run("site", "show", "nowhere");
        assertEquals(1, missing.exitCode(), missing.toString());
        assertTrue(missing.err().startsWith("sliceplane: 404 not-found"), missing.toString());
        assertEquals(1, missing.err().lines().count(), missing.toString());

        CliProcess.Result usage = admin.run("site", "add", "x");
        assertEquals(2, usage.exitCode(), usage.toString());
        assertEquals(1, usage.err().lines().count(), usage.toString());
    }

    @Test
    @Order(6)
    void anUnreachableUrlExitsThreeAndNamesIt() throws Exception {
        String closed = "http://127.0.0.1:" + NodeProcess.freePort();
        CliProcess.Result result = admin.run("--url", closed, "site", "list");
        assertEquals(3, result.exitCode(), result.toString());
        assertEquals("sliceplane: cannot reach the node at " + closed + " (connection refused)\n", result.err());
    }

    @Test
    @Order(7)
    void warmCommandsAnswerQuickly() throws Exception {
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            best = Math.min(best, ok(admin.run("site", "list")).millis());
        }
        // Reported, not asserted: it depends on what else this machine is running.
        System.out.println("AccountsCliIT: 'sliceplane site list' through the script, best of 5: " + best + " ms");
    }

    private static CliProcess.Result ok(CliProcess.Result result) {
        assertEquals(0, result.exitCode(), result.toString());
        return result;
    }

    private static JsonNode json(CliProcess.Result result) throws Exception {
        return JSON.readTree(result.out());
    }

    private static boolean contains(JsonNode array, String field, String value) {
        for (JsonNode element : array) {
            if (value.equals(element.path(field).asText())) {
                return true;
            }
        }
        return false;
    }

    /** A fresh OpenSSH {@code ssh-ed25519} public key line (string "ssh-ed25519", string key). */
    private static String ed25519PublicKeyLine(String comment) throws Exception {
        byte[] x509 = KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic().getEncoded();
        byte[] raw = Arrays.copyOfRange(x509, x509.length - 32, x509.length);
        ByteArrayOutputStream blob = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(blob);
        byte[] type = "ssh-ed25519".getBytes(StandardCharsets.US_ASCII);
        out.writeInt(type.length);
        out.write(type);
        out.writeInt(raw.length);
        out.write(raw);
        return "ssh-ed25519 " + Base64.getEncoder().encodeToString(blob.toByteArray()) + " " + comment + "\n";
    }
}
