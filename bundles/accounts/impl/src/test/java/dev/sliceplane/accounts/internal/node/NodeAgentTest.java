package dev.sliceplane.accounts.internal.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.sliceplane.accounts.api.InvalidTokenException;
import dev.sliceplane.accounts.api.NodeCacheStatus;
import dev.sliceplane.accounts.api.NodeSlice;
import dev.sliceplane.accounts.api.Principal;
import dev.sliceplane.accounts.api.PublicKey;
import dev.sliceplane.accounts.api.Role;
import dev.sliceplane.accounts.api.Slice;
import dev.sliceplane.accounts.internal.credentials.AuthorityComponent;
import dev.sliceplane.accounts.internal.credentials.MutableClock;
import dev.sliceplane.accounts.internal.credentials.TestConfig;
import dev.sliceplane.platform.api.health.HealthStatus;

/**
 * A node's agent against an authority over real HTTP: registration, the cache on disk and its
 * reload, conditional refreshes, renewal at two thirds of the credential's life (on a clock the
 * test moves), and token verification with the cached keys after the authority is gone.
 */
class NodeAgentTest {

    static final String HOST = "node1.princeton.edu";
    static final Instant T0 = Instant.parse("2026-06-01T12:00:00Z");
    static final Principal ALICE = new Principal("alice@princeton.edu", "Alice", "princeton", EnumSet.of(Role.PI), true);
    static final String KEY_BLOB = "AAAAC3NzaC1lZDI1NTE5AAAAIGtxTwcPdBSIPbr7DeQ1BTiYHrvnPS0cXWW1b3bGw7Sb";

    @TempDir
    Path temp;

    MutableClock clock;
    AuthorityComponent authority;
    FakeAuthority server;

    @BeforeEach
    void start() throws IOException {
        clock = new MutableClock(T0);
        authority = new AuthorityComponent(temp.resolve("authority-keys"), TestConfig.defaults(), clock);
        server = new FakeAuthority(authority, HOST);
        PublicKey key = new PublicKey(ALICE.email(), "ssh-ed25519", KEY_BLOB, null);
        server.slices = List.of(NodeSlice.of(new Slice("princeton_codeen", "CoDeeN", "", T0.plus(Duration.ofDays(30)),
                Set.of(ALICE.email()), 10), Map.of(ALICE.email(), List.of(key))));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    NodeAgent agent(String token) throws IOException {
        return new NodeAgent(temp.resolve("node"), server.url(), HOST, () -> token, Duration.ofSeconds(60),
                Duration.ofSeconds(5), clock);
    }

    @Test
    void registersCachesAndVerifiesWithTheAuthorityGoneAndAfterARestart() throws Exception {
        NodeAgent agent = agent(FakeAuthority.TOKEN);
        agent.refresh();
        NodeCacheStatus status = agent.status();
        assertEquals("", status.lastError());
        assertFalse(status.stale());
        assertEquals(T0, status.refreshedAt());
        assertEquals(T0.plus(Duration.ofDays(7)), status.credentialExpiresAt());
        assertEquals(1, server.registrations.get());
        assertEquals(List.of("princeton_codeen"), agent.slices().stream().map(NodeSlice::name).toList());
        assertEquals(KEY_BLOB, agent.memberKeys("princeton_codeen").get(ALICE.email()).get(0).key());
        String token = authority.issue(ALICE).token();
        assertEquals(ALICE.email(), agent.verifier().verify(token).subject());
        assertEquals(HealthStatus.UP, new NodeCacheHealth(agent, Duration.ofHours(1)).check().status());

        Path dir = temp.resolve("node");
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.toList()) {
                assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)), file.toString());
            }
        }
        assertTrue(Files.exists(dir.resolve(NodeAgent.SLICES_FILE)));

        server.close();
        clock.advance(Duration.ofMinutes(5));
        agent.refresh();
        status = agent.status();
        assertTrue(status.stale());
        assertFalse(status.lastError().isEmpty());
        assertEquals(Duration.ofMinutes(5), status.age());
        assertEquals(ALICE.email(), agent.verifier().verify(token).subject(), "verified offline");
        assertEquals(1, agent.slices().size());
        var health = new NodeCacheHealth(agent, Duration.ofHours(1)).check();
        assertEquals(HealthStatus.UP, health.status(), "stale but up for a while");
        assertTrue(health.message().contains("stale, 300 s old"), health.message());
        clock.advance(Duration.ofHours(1));
        assertEquals(HealthStatus.WARN, new NodeCacheHealth(agent, Duration.ofHours(1)).check().status());
        token = authority.issue(ALICE).token(); // access tokens live 15 min; the keys are what is cached
        assertEquals(ALICE.email(), agent.verifier().verify(token).subject());

        // A restart while the authority is down: everything comes back from disk.
        NodeAgent restarted = agent(FakeAuthority.TOKEN);
        assertEquals(agent.publicKey(), restarted.publicKey(), "the node key is kept");
        assertEquals(agent.slices(), restarted.slices());
        assertEquals(T0, restarted.status().refreshedAt());
        assertEquals(ALICE.email(), restarted.verifier().verify(token).subject());
        restarted.refresh();
        assertEquals(ALICE.email(), restarted.verifier().verify(token).subject());
        assertTrue(restarted.status().stale());
    }

    @Test
    void refreshesAreConditional() throws Exception {
        NodeAgent agent = agent(FakeAuthority.TOKEN);
        agent.refresh();
        assertEquals(2, server.full.get());
        agent.refresh();
        assertEquals(2, server.full.get());
        assertEquals(2, server.notModified.get(), "keys and slices unchanged: two 304s");
        server.slices = List.of();
        agent.refresh();
        assertEquals(3, server.full.get());
        assertEquals(List.of(), agent.slices());

        // A new agent on the same files sends the stored ETags.
        NodeAgent restarted = agent(FakeAuthority.TOKEN);
        restarted.refresh();
        assertEquals(3, server.full.get());
        assertEquals(1, server.registrations.get(), "the stored credential is used, not the token again");
    }

    @Test
    void renewsOnceTwoThirdsOfTheCredentialsLifeHavePassed() throws Exception {
        NodeAgent agent = agent(FakeAuthority.TOKEN);
        agent.refresh();
        Instant firstExpiry = agent.status().credentialExpiresAt();
        Duration twoThirds = Duration.ofDays(7).multipliedBy(2).dividedBy(3);
        clock.advance(twoThirds.minusMinutes(1));
        agent.refresh();
        assertEquals(0, server.renewals.get(), "not yet due");
        clock.advance(Duration.ofMinutes(1));
        agent.refresh();
        assertEquals(1, server.renewals.get());
        assertEquals(T0.plus(twoThirds).plus(Duration.ofDays(7)), agent.status().credentialExpiresAt());
        assertNotEquals(firstExpiry, agent.status().credentialExpiresAt());
        agent.refresh();
        assertEquals(1, server.renewals.get(), "a fresh credential is not renewed again");
        assertEquals(1, server.registrations.get());
    }

    @Test
    void withoutABootstrapTokenThereIsNoCacheAndNoTokenVerifies() throws Exception {
        NodeAgent agent = agent("");
        agent.refresh();
        NodeCacheStatus status = agent.status();
        assertNull(status.refreshedAt());
        assertTrue(status.lastError().contains("no bootstrap token"), status.lastError());
        assertThrows(InvalidTokenException.class, () -> agent.verifier().verify(authority.issue(ALICE).token()));
        assertEquals(HealthStatus.DOWN, new NodeCacheHealth(agent, Duration.ofHours(1)).check().status());

        NodeAgent refused = new NodeAgent(temp.resolve("other"), server.url(), HOST, () -> "spb_" + "B".repeat(43),
                Duration.ofSeconds(60), Duration.ofSeconds(5), clock);
        refused.refresh();
        assertTrue(refused.status().lastError().contains("401"), refused.status().lastError());
    }

    @Test
    void expiredSlicesAreNotServedFromTheCache() throws Exception {
        NodeAgent agent = agent(FakeAuthority.TOKEN);
        agent.refresh();
        server.close();
        clock.advance(Duration.ofDays(31));
        assertEquals(List.of(), agent.slices());
        assertTrue(agent.slice("princeton_codeen").isEmpty());
        assertEquals(Map.of(), agent.memberKeys("princeton_codeen"));
        assertNotNull(agent.status().refreshedAt());
    }

    @Test
    void aDamagedCacheFileIsIgnoredNotFatal() throws Exception {
        agent(FakeAuthority.TOKEN).refresh();
        Files.writeString(temp.resolve("node").resolve(NodeAgent.SLICES_FILE), "{\"etag\":\"x\",\"body\":{\"slices\":[{}]}}");
        NodeAgent restarted = agent(FakeAuthority.TOKEN);
        assertEquals(List.of(), restarted.slices());
        restarted.refresh();
        assertEquals(1, restarted.slices().size(), "fetched again in full");
    }
}
