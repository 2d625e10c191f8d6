package dev.sliceplane.cli.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.sliceplane.cli.CliRun;
import dev.sliceplane.cli.FixtureNode;
import dev.sliceplane.cli.FixtureNode.Answer;

/**
 * Login, token storage, expiry and silent renewal against {@link FixtureNode}, a loopback
 * fixture that answers like the accounts contract (not the real node; AccountsCliIT runs that).
 */
class LoginFixtureTest {

    static final String TOKENS = "/api/v1/accounts/tokens";
    static final String SITES = "/api/v1/accounts/sites";
    static final String WHOAMI = "/api/v1/accounts/whoami";
    static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");

    @TempDir
    Path home;

    private FixtureNode node;
    private final AtomicInteger issued = new AtomicInteger();

    @BeforeEach
    void start() throws Exception {
        node = new FixtureNode();
        // Each login issues a new token "t<n>" valid 15 minutes from the test's clock.
        node.on("POST", TOKENS, request -> {
            if (request.body().contains("sp_good") || request.body().contains("\"password\":\"correct horse\"")) {
                return Answer.json(201, "{\"token\": \"t" + issued.incrementAndGet() + "\", \"expiresAt\": \""
                        + NOW.plusSeconds(900) + "\"}");
            }
            return Answer.problem(401, "unauthorized", "the API key is not valid");
        });
        node.on("GET", WHOAMI, Answer.json(200,
                "{\"kind\": \"PRINCIPAL\", \"id\": \"admin@sliceplane.local\", \"site\": \"sliceplane\", \"roles\": [\"admin\"]}"));
        node.on("GET", SITES, request -> request.authorization() != null && request.authorization().matches("Bearer t\\d+|Bearer env-token")
                ? Answer.json(200, "[]") : Answer.problem(401, "unauthorized", "a bearer token is required"));
    }

    @AfterEach
    void stop() {
        node.close();
    }

    private CliRun cli() {
        return new CliRun(home).env("SLICEPLANE_URL", node.url().toString()).clock(Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private Path keyFile(String key) throws Exception {
        Path file = home.resolve("admin-api-key");
        Files.writeString(file, key + "\n");
        return file;
    }

    @Test
    void loginWithAnApiKeyFileStoresTheTokenOwnerOnlyAndLaterCommandsSendIt() throws Exception {
        CliRun.Result login = cli().run("login", "--api-key-file", keyFile("sp_good").toString());
        assertEquals(0, login.exitCode(), login.toString());
        assertEquals("logged in to " + node.url() + " as admin@sliceplane.local (token valid until " + NOW.plusSeconds(900) + ")\n",
                login.out());
        assertEquals("{\"apiKey\":\"sp_good\"}", node.requests().get(0).body());
        assertNull(node.requests().get(0).authorization(), "logging in sends no token");

        Path tokens = home.resolve(".config/sliceplane/tokens.json");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(tokens)));
        assertTrue(Files.readString(tokens).contains(home.resolve("admin-api-key").toString()), "the key file is remembered");
        assertTrue(!Files.readString(tokens).contains("sp_good"), "the key itself is never stored");

        CliRun.Result list = cli().run("site", "list");
        assertEquals(0, list.exitCode(), list.toString());
        assertEquals("Bearer t1", node.last().authorization());
    }

    @Test
    void anExpiredTokenIsRenewedSilentlyFromTheRememberedKeyFile() throws Exception {
        assertEquals(0, cli().run("login", "--api-key-file", keyFile("sp_good").toString()).exitCode());

        CliRun later = cli().clock(Clock.fixed(NOW.plusSeconds(880), ZoneOffset.UTC));
        CliRun.Result list = later.run("site", "list");

        assertEquals(0, list.exitCode(), list.toString());
        assertEquals("Bearer t2", node.last().authorization());
        assertEquals(List.of("POST " + TOKENS, "GET " + WHOAMI, "POST " + TOKENS, "GET " + SITES),
                node.requests().stream().map(r -> r.method() + " " + r.path()).toList());
    }

    @Test
    void anExpiredTokenIsRenewedSilentlyFromTheEnvironmentsApiKey() throws Exception {
        assertEquals(0, cli().env("SLICEPLANE_PASSWORD", "correct horse").run("login", "--email", "pi@x.org").exitCode());
        CliRun.Result list = cli().env("SLICEPLANE_API_KEY", "sp_good").clock(Clock.fixed(NOW.plusSeconds(3600), ZoneOffset.UTC))
                .run("site", "list");
        assertEquals(0, list.exitCode(), list.toString());
        assertEquals("Bearer t2", node.last().authorization());
    }

    @Test
    void theEnvironmentsApiKeyDecidesWhoCallsAndItsTokenIsReused() throws Exception {
        assertEquals(0, cli().env("SLICEPLANE_PASSWORD", "correct horse").run("login", "--email", "pi@x.org").exitCode());

        CliRun withKey = cli().env("SLICEPLANE_API_KEY", "sp_good");
        assertEquals(0, withKey.run("site", "list").exitCode());
        assertEquals("Bearer t2", node.last().authorization(), "the password login's token is not the key's");
        assertEquals(0, withKey.run("site", "list").exitCode());
        assertEquals("Bearer t2", node.last().authorization(), "the key's own token is reused while valid");
        assertEquals(2, issued.get());

        assertEquals(0, cli().env("SLICEPLANE_API_KEY", "sp_good_other").run("site", "list").exitCode());
        assertEquals("Bearer t3", node.last().authorization(), "another key, another token");
        assertTrue(!Files.readString(home.resolve(".config/sliceplane/tokens.json")).contains("sp_good"),
                "keys are stored only as digests");
    }

    @Test
    void anExpiredTokenWithoutAKeySaysToLogIn() throws Exception {
        assertEquals(0, cli().env("SLICEPLANE_PASSWORD", "correct horse").run("login", "--email", "pi@x.org").exitCode());
        CliRun.Result list = cli().clock(Clock.fixed(NOW.plusSeconds(3600), ZoneOffset.UTC)).run("site", "list");
        assertEquals(1, list.exitCode(), list.toString());
        assertEquals("sliceplane: the token for " + node.url() + " expired at " + NOW.plusSeconds(900)
                + "; run 'sliceplane login'\n", list.err());
        assertEquals("", list.out());
    }

    @Test
    void withoutAnyTokenTheNodeIsAskedAndItsRefusalSaysToLogIn() {
        CliRun.Result list = cli().run("site", "list");
        assertEquals(1, list.exitCode(), list.toString());
        assertEquals("sliceplane: not logged in to " + node.url() + "; run 'sliceplane login'\n", list.err());
        assertNull(node.last().authorization());
    }

    @Test
    void aTokenTheNodeRefusesIsReplacedOnceWhenAKeyIsAtHand() throws Exception {
        assertEquals(0, cli().run("login", "--api-key-file", keyFile("sp_good").toString()).exitCode());
        node.on("GET", SITES, request -> "Bearer t1".equals(request.authorization())
                ? Answer.problem(401, "unauthorized", "unknown signing key") : Answer.json(200, "[]"));

        CliRun.Result list = cli().run("site", "list");

        assertEquals(0, list.exitCode(), list.toString());
        assertEquals("Bearer t2", node.last().authorization());
    }

    @Test
    void slicePlaneTokenOverridesTheStoredOne() throws Exception {
        assertEquals(0, cli().run("login", "--api-key-file", keyFile("sp_good").toString()).exitCode());
        CliRun.Result list = cli().env("SLICEPLANE_TOKEN", "env-token").run("site", "list");
        assertEquals(0, list.exitCode(), list.toString());
        assertEquals("Bearer env-token", node.last().authorization());

        CliRun.Result refused = cli().env("SLICEPLANE_TOKEN", "bad").run("site", "list");
        assertEquals(1, refused.exitCode());
        assertEquals("sliceplane: 401 unauthorized: a bearer token is required (the node refused $SLICEPLANE_TOKEN)\n",
                refused.err());
    }

    @Test
    void aWrongKeyIsRefusedWithTheNodesReason() throws Exception {
        CliRun.Result login = cli().run("login", "--api-key-file", keyFile("sp_bad").toString());
        assertEquals(1, login.exitCode());
        assertEquals("sliceplane: 401 unauthorized: the API key is not valid\n", login.err());
        assertTrue(Files.notExists(home.resolve(".config/sliceplane/tokens.json")));
    }

    @Test
    void passwordsComeFromTheEnvironmentStdinOrTheTerminalNeverAnArgument() {
        assertEquals(0, cli().env("SLICEPLANE_PASSWORD", "correct horse").run("login", "--email", "pi@x.org").exitCode());
        assertEquals("{\"email\":\"pi@x.org\",\"password\":\"correct horse\"}", node.requests().get(0).body());

        assertEquals(0, cli().stdin("correct horse\n").run("login", "--email", "pi@x.org", "--password-stdin").exitCode());
        assertEquals(0, cli().console(prompt -> Optional.of("correct horse".toCharArray()))
                .run("login", "--email", "pi@x.org").exitCode());

        CliRun.Result noTerminal = cli().run("login", "--email", "pi@x.org");
        assertEquals(1, noTerminal.exitCode());
        assertEquals("sliceplane: no terminal to ask for the password on; set $SLICEPLANE_PASSWORD or use --password-stdin\n",
                noTerminal.err());
        assertEquals(2, cli().run("login", "--email", "pi@x.org", "--password", "x").exitCode());
    }

    @Test
    void loginNeedsToKnowHow() {
        CliRun.Result nothing = cli().run("login");
        assertEquals(2, nothing.exitCode());
        assertTrue(nothing.err().startsWith("sliceplane: say how to log in"), nothing.err());
        assertEquals(2, cli().run("login", "--api-key").exitCode(), "--api-key without SLICEPLANE_API_KEY");
        assertEquals(2, cli().run("login", "--api-key-file", "f", "--email", "e@x.org").exitCode(), "one way at a time");
        assertEquals(2, cli().run("login", "--password-stdin").exitCode());
        CliRun.Result missing = cli().run("login", "--api-key-file", home.resolve("nope").toString());
        assertEquals(1, missing.exitCode());
        assertEquals("sliceplane: the API key file " + home.resolve("nope") + " does not exist\n", missing.err());
    }

    @Test
    void loginWithTheEnvironmentsKeyDoesNotRememberAFile() throws Exception {
        assertEquals(0, cli().env("SLICEPLANE_API_KEY", "sp_good").run("login", "--api-key").exitCode());
        assertTrue(!Files.readString(home.resolve(".config/sliceplane/tokens.json")).contains("apiKeyFile"));
    }

    @Test
    void logoutForgetsTheTokenAndTheRememberedFile() throws Exception {
        assertEquals(0, cli().run("login", "--api-key-file", keyFile("sp_good").toString()).exitCode());
        assertEquals("logged out of " + node.url() + "\n", cli().run("logout").out());
        assertEquals("was not logged in to " + node.url() + "\n", cli().run("logout").out());
        assertEquals(1, cli().run("site", "list").exitCode());
    }

    @Test
    void tokenPrintsAFreshTokenWhenAKeyIsAtHandElseTheStoredOne() throws Exception {
        assertEquals(0, cli().run("login", "--api-key-file", keyFile("sp_good").toString()).exitCode());
        assertEquals("t2\n", cli().run("token").out());
        assertEquals("t3\n", cli().run("token").out());

        assertEquals(0, cli().run("logout").exitCode());
        assertEquals(0, cli().env("SLICEPLANE_PASSWORD", "correct horse").run("login", "--email", "pi@x.org").exitCode());
        assertEquals("t4\n", cli().run("token").out());
        assertEquals("t4\n", cli().run("token").out());
        CliRun.Result expired = cli().clock(Clock.fixed(NOW.plusSeconds(3600), ZoneOffset.UTC)).run("token");
        assertEquals(1, expired.exitCode());
        assertEquals("", expired.out());
    }
}
