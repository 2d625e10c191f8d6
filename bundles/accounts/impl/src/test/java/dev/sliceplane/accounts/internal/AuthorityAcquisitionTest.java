package dev.sliceplane.accounts.internal;

import static dev.sliceplane.accounts.internal.Fixtures.ED25519_A;
import static dev.sliceplane.accounts.internal.Fixtures.ED25519_B;
import static dev.sliceplane.accounts.internal.Fixtures.key;
import static dev.sliceplane.accounts.internal.Fixtures.principal;
import static dev.sliceplane.accounts.internal.Fixtures.site;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.sliceplane.accounts.api.BootState;
import dev.sliceplane.accounts.api.Node;
import dev.sliceplane.accounts.api.Role;
import dev.sliceplane.accounts.api.Slice;
import dev.sliceplane.accounts.internal.acquisition.AgentCertifierComponent;
import dev.sliceplane.accounts.internal.acquisition.AuthorityKeysComponent;
import dev.sliceplane.accounts.internal.acquisition.Chains;
import dev.sliceplane.accounts.internal.acquisition.KeyNodeSigner;
import dev.sliceplane.accounts.internal.acquisition.OwnNode;
import dev.sliceplane.accounts.internal.acquisition.RegistryNodeDirectory;
import dev.sliceplane.accounts.internal.acquisition.RegistrySliceDirectory;
import dev.sliceplane.accounts.internal.credentials.AuthorityComponent;
import dev.sliceplane.accounts.internal.credentials.MutableClock;
import dev.sliceplane.accounts.internal.credentials.TestConfig;
import dev.sliceplane.accounts.internal.db.DatabaseKind;
import dev.sliceplane.accounts.internal.db.RegistryDatabase;
import dev.sliceplane.jose.Ed25519PrivateKey;
import dev.sliceplane.jose.Ed25519PublicKey;
import dev.sliceplane.jose.Jws;
import dev.sliceplane.jose.JwsException;
import dev.sliceplane.jose.VerifiedJws;
import dev.sliceplane.platform.api.acquisition.AgentCertifier;
import dev.sliceplane.platform.api.acquisition.AuthorityKeys;
import dev.sliceplane.platform.api.acquisition.NodeRecord;
import dev.sliceplane.platform.api.acquisition.SliceRecord;

/**
 * The acquisition SPIs on the authority: over a real registry (H2), the real key ring on disk and
 * its real Ed25519 keys, each checked the way its consumer (agent, broker, node manager) will.
 */
class AuthorityAcquisitionTest {

    static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    static final String HOST = "plc.princeton.edu";

    @TempDir
    Path temp;

    MutableClock clock;
    RegistryDatabase database;
    JdbcRegistry registry;
    AuthorityComponent authority;
    AuthorityKeys authorityKeys;

    @BeforeEach
    void open() {
        clock = new MutableClock(T0);
        database = RegistryDatabase.open(DatabaseKind.H2, TestDatabases.h2Memory(), 2);
        registry = new JdbcRegistry(database, Clock.systemUTC());
        authority = new AuthorityComponent(temp.resolve("keys"), TestConfig.defaults(), clock);
        authorityKeys = new AuthorityKeysComponent(authority);
    }

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void authorityKeysAreTheKeyRingsPublishedKeysUnderTheConfiguredIssuer() {
        assertEquals("sliceplane-test", authorityKeys.issuer());
        String kid = (String) firstJwk().get("kid");
        byte[] key = authorityKeys.ed25519Key(kid, clock.instant()).orElseThrow();
        assertEquals(firstJwk().get("x"), Jws.B64.encodeToString(key));
        assertTrue(authorityKeys.ed25519Key("no-such-kid", clock.instant()).isEmpty());

        // A rotated-out key stays published until its retire time, then is gone.
        authority.rotate();
        assertTrue(authorityKeys.ed25519Key(kid, clock.instant()).isPresent());
        assertTrue(authorityKeys.ed25519Key(kid, clock.instant().plus(Duration.ofHours(1))).isEmpty());
    }

    @Test
    void anAgentCertificateVerifiesAgainstAuthorityKeysAndBindsTheAgentsKey() {
        AgentCertifier certifier = new AgentCertifierComponent(authority, clock);
        Ed25519PrivateKey agent = Ed25519PrivateKey.generate(new SecureRandom());
        String certificate = certifier.certify("agent", agent.publicKey().bytes(), Duration.ofDays(30));

        VerifiedJws verified = Chains.byAuthority(certificate, AgentCertifier.AGENT_CERTIFICATE_TYPE, authorityKeys,
                clock.instant());
        assertEquals("agent+jwt", verified.header().path("typ").asText());
        assertEquals(authority.publishedKeys().verificationKey(verified.header().path("kid").asText(), clock.instant()),
                Ed25519PublicKey.of(authorityKeys.ed25519Key(verified.header().path("kid").asText(), clock.instant()).orElseThrow()));
        assertEquals("agent", verified.requiredText("sub"));
        assertEquals(T0.getEpochSecond(), verified.requiredSeconds("iat"));
        assertEquals(T0.plus(Duration.ofDays(30)).getEpochSecond(), verified.requiredSeconds("exp"));
        assertEquals(22, verified.requiredText("jti").length(), "16 random bytes, base64url");
        assertEquals(agent.publicKey(), Chains.agentKey(certificate, authorityKeys, clock.instant()));

        // What the agent signs with its key now verifies through the certificate alone.
        String ticket = Jws.sign("ticket+jwt", "agent", Jws.JSON.createObjectNode().put("sub", "princeton_codeen"), agent);
        assertEquals("princeton_codeen", Jws.verify(ticket, "ticket+jwt",
                Chains.agentKey(certificate, authorityKeys, clock.instant())).requiredText("sub"));

        // Another authority's keys do not accept it; nor does another typ.
        AuthorityKeys other = new AuthorityKeysComponent(
                new AuthorityComponent(temp.resolve("other-keys"), TestConfig.defaults(), clock));
        assertThrows(JwsException.class, () -> Chains.byAuthority(certificate, AgentCertifier.AGENT_CERTIFICATE_TYPE,
                other, clock.instant()));
        assertThrows(JwsException.class, () -> Chains.byAuthority(certificate, "JWT", authorityKeys, clock.instant()));
    }

    @Test
    void longLivedCredentialsOutliveARotationOfTheKeyThatSignedThem() {
        AgentCertifier certifier = new AgentCertifierComponent(authority, clock);
        Ed25519PrivateKey agent = Ed25519PrivateKey.generate(new SecureRandom());
        String certificate = certifier.certify("agent", agent.publicKey().bytes(), Duration.ofDays(30));
        registry.addSite(site("princeton"));
        String credential = new OwnNode(registry, authority, Ed25519PrivateKey.generate(new SecureRandom()), HOST,
                "princeton", clock).ensure().orElseThrow();

        clock.advance(Duration.ofDays(1));
        authority.rotate();
        clock.advance(Duration.ofDays(5));
        assertEquals(agent.publicKey(), Chains.agentKey(certificate, authorityKeys, clock.instant()));
        assertEquals(HOST, authority.verifyNodeCredential(credential).hostname());
        clock.advance(Duration.ofDays(25));
        assertThrows(JwsException.class, () -> Chains.agentKey(certificate, authorityKeys, clock.instant()),
                "gone once what it signed has expired");
    }

    @Test
    void certifyRefusesWhatIsNoCertificate() {
        AgentCertifier certifier = new AgentCertifierComponent(authority, clock);
        byte[] key = Ed25519PrivateKey.generate(new SecureRandom()).publicKey().bytes();
        assertThrows(IllegalArgumentException.class, () -> certifier.certify(" ", key, Duration.ofDays(1)));
        assertThrows(IllegalArgumentException.class, () -> certifier.certify("agent", new byte[31], Duration.ofDays(1)));
        assertThrows(IllegalArgumentException.class, () -> certifier.certify("agent", key, Duration.ZERO));
    }

    @Test
    void sliceDirectoryAnswersFromTheRegistryWithMembersKeysAndNeverAnExpiredSlice() {
        registry.addSite(site("princeton"));
        registry.addPrincipal(principal("alice@princeton.edu", "princeton", Role.USER));
        registry.addPrincipal(principal("bob@princeton.edu", "princeton", Role.USER));
        registry.addKey(key("alice@princeton.edu", ED25519_A));
        registry.addKey(key("alice@princeton.edu", ED25519_B));
        Instant expires = Instant.now().plus(Duration.ofDays(10)).truncatedTo(ChronoUnit.SECONDS);
        registry.addSlice(new Slice("princeton_codeen", "", "", expires, Set.of("alice@princeton.edu", "bob@princeton.edu"), 7));

        RegistrySliceDirectory directory = new RegistrySliceDirectory(registry, Clock.systemUTC());
        SliceRecord slice = directory.slice("princeton_codeen").orElseThrow();
        assertEquals("princeton_codeen", slice.name());
        assertEquals("princeton", slice.site());
        assertEquals(expires, slice.expires());
        assertEquals(7, slice.maxSlivers());
        assertEquals(Set.of("alice@princeton.edu", "bob@princeton.edu"), slice.members());
        assertEquals(Set.of("ssh-ed25519 " + ED25519_A, "ssh-ed25519 " + ED25519_B),
                Set.copyOf(slice.memberKeys().get("alice@princeton.edu")));
        assertEquals(List.of(), slice.memberKeys().get("bob@princeton.edu"));

        assertTrue(directory.slice("princeton_nothing").isEmpty());
        assertTrue(directory.slice("Not A Slice!").isEmpty());
        assertTrue(directory.slice(null).isEmpty());
        RegistrySliceDirectory later = new RegistrySliceDirectory(registry,
                Clock.fixed(expires.plusSeconds(1), ZoneOffset.UTC));
        assertTrue(later.slice("princeton_codeen").isEmpty(), "expired slices are never returned");
        RegistrySliceDirectory atExpiry = new RegistrySliceDirectory(registry, Clock.fixed(expires, ZoneOffset.UTC));
        assertTrue(atExpiry.slice("princeton_codeen").isEmpty());
    }

    @Test
    void nodeDirectoryListsRegisteredNodesWithTheirKeysAndBootStates() {
        registry.addSite(site("princeton"));
        Ed25519PrivateKey nodeKey = Ed25519PrivateKey.generate(new SecureRandom());
        registry.addNode(new Node("node1.princeton.edu", "princeton", nodeKey.publicKey().base64Url(), BootState.BOOT));
        registry.addNode(new Node("node2.princeton.edu", "princeton", "", BootState.INSTALL));

        RegistryNodeDirectory directory = new RegistryNodeDirectory(registry);
        NodeRecord one = directory.node("node1.princeton.edu").orElseThrow();
        assertEquals("princeton", one.site());
        assertEquals("boot", one.bootState());
        assertArrayEquals(nodeKey.publicKey().bytes(), one.identityKey());
        NodeRecord two = directory.node("NODE2.princeton.edu").orElseThrow();
        assertEquals("install", two.bootState());
        assertNull(two.identityKey());
        assertTrue(directory.node("ghost.princeton.edu").isEmpty());
        assertTrue(directory.node("not a host").isEmpty());
        assertEquals(List.of("node1.princeton.edu", "node2.princeton.edu"),
                directory.nodes().stream().map(NodeRecord::hostname).toList());
    }

    @Test
    void theAuthoritysOwnNodeRegistersItselfAndSignsWithAKeyItsCredentialBinds() throws Exception {
        Ed25519PrivateKey key = Ed25519PrivateKey.loadOrCreate(temp.resolve("authority-node/node.key"), new SecureRandom());
        OwnNode own = new OwnNode(registry, authority, key, HOST, "local", clock);
        String credential = own.ensure().orElseThrow();

        // The site was made, the node added with its key, in boot state.
        assertEquals("local", registry.getSite("local").loginBase());
        Node node = registry.getNode(HOST);
        assertEquals(key.publicKey().base64Url(), node.identityKey());
        assertEquals(BootState.BOOT, node.bootState());
        assertEquals(HOST, authority.verifyNodeCredential(credential).hostname());

        KeyNodeSigner signer = new KeyNodeSigner(HOST, key, own::credential, Optional.empty());
        assertEquals("local", signer.site());
        assertTrue(signer.authorityUrl().isEmpty());
        Chains.leaseVerifies(signer, authorityKeys, clock.instant());

        // The same key file next time: the same registered node, no conflict.
        Ed25519PrivateKey again = Ed25519PrivateKey.loadOrCreate(temp.resolve("authority-node/node.key"), new SecureRandom());
        assertTrue(new OwnNode(registry, authority, again, HOST, "local", clock).ensure().isPresent());
        assertTrue(Files.exists(temp.resolve("authority-node/node.key")));
    }

    @Test
    void aCheckCancelledByAStopReportsNoProblem() throws Exception {
        OwnNode own = new OwnNode(registry, authority, Ed25519PrivateKey.generate(new SecureRandom()), HOST, "local", clock);
        database.close(); // every registry call fails from here on

        Thread.currentThread().interrupt(); // as the component's deactivation cancels a running check
        String cancelled = stderrOf(() -> assertTrue(own.ensure().isEmpty()));
        assertTrue(Thread.interrupted(), "the interruption is left for the caller");
        assertFalse(cancelled.contains("gets no node credential"), cancelled);

        String failed = stderrOf(() -> assertTrue(own.ensure().isEmpty()));
        assertTrue(failed.contains("gets no node credential"), failed);
    }

    /** What the node's log (slf4j-simple, on standard error) printed while {@code action} ran. */
    private static String stderrOf(Runnable action) {
        PrintStream before = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setErr(before);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    @Test
    void theOwnNodesCredentialIsRenewedBeforeItExpires() {
        Ed25519PrivateKey key = Ed25519PrivateKey.generate(new SecureRandom());
        OwnNode own = new OwnNode(registry, authority, key, HOST, "local", clock);
        String first = own.ensure().orElseThrow();
        clock.advance(Duration.ofDays(4));
        assertEquals(first, own.ensure().orElseThrow(), "not yet due at 4 of 7 days");
        clock.advance(Duration.ofDays(1));
        String renewed = own.ensure().orElseThrow();
        assertNotEquals(first, renewed, "renewed after two thirds of its life");
        assertEquals(clock.instant().plus(Duration.ofDays(7)), authority.verifyNodeCredential(renewed).expiresAt());
        assertEquals(renewed, own.credential());
    }

    @Test
    void aNodeOfThatNameWithAnotherKeyIsLeftAloneAndAKeylessOneIsAdopted() {
        registry.addSite(site("princeton"));
        Ed25519PrivateKey someoneElse = Ed25519PrivateKey.generate(new SecureRandom());
        registry.addNode(new Node(HOST, "princeton", someoneElse.publicKey().base64Url(), BootState.BOOT));
        OwnNode own = new OwnNode(registry, authority, Ed25519PrivateKey.generate(new SecureRandom()), HOST, "local", clock);
        assertTrue(own.ensure().isEmpty());
        assertEquals(someoneElse.publicKey().base64Url(), registry.getNode(HOST).identityKey());

        registry.addNode(new Node("plc2.princeton.edu", "princeton", "", BootState.INSTALL));
        Ed25519PrivateKey key = Ed25519PrivateKey.generate(new SecureRandom());
        String credential = new OwnNode(registry, authority, key, "plc2.princeton.edu", "local", clock).ensure().orElseThrow();
        Node adopted = registry.getNode("plc2.princeton.edu");
        assertEquals(key.publicKey().base64Url(), adopted.identityKey());
        assertEquals(BootState.BOOT, adopted.bootState());
        assertEquals("princeton", authority.verifyNodeCredential(credential).site(), "the registry's site, not the configured one");
        assertFalse(registry.listSites().stream().anyMatch(s -> s.loginBase().equals("local")));
    }

    @Test
    void aDisabledOrInvalidOwnNodeGetsNoCredential() {
        registry.addSite(site("princeton"));
        Ed25519PrivateKey key = Ed25519PrivateKey.generate(new SecureRandom());
        registry.addNode(new Node(HOST, "princeton", key.publicKey().base64Url(), BootState.DISABLED));
        assertTrue(new OwnNode(registry, authority, key, HOST, "local", clock).ensure().isEmpty());
        assertTrue(new OwnNode(registry, authority, key, "bad_host!", "local", clock).ensure().isEmpty());
        assertTrue(new OwnNode(registry, authority, key, "plc3.princeton.edu", "Not_A_Site", clock).ensure().isEmpty());
    }

    private Map<?, ?> firstJwk() {
        return (Map<?, ?>) ((List<?>) authority.jwks().get("keys")).get(0);
    }
}
