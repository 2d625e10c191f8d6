package dev.sliceplane.accounts.internal.node;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.sliceplane.accounts.api.NodeSlice;
import dev.sliceplane.accounts.api.PublicKey;
import dev.sliceplane.accounts.api.Slice;
import dev.sliceplane.accounts.internal.acquisition.AgentCertifierComponent;
import dev.sliceplane.accounts.internal.acquisition.Chains;
import dev.sliceplane.accounts.internal.credentials.AuthorityComponent;
import dev.sliceplane.accounts.internal.credentials.MutableClock;
import dev.sliceplane.accounts.internal.credentials.TestConfig;
import dev.sliceplane.jose.Ed25519PrivateKey;
import dev.sliceplane.jose.Jws;
import dev.sliceplane.platform.api.acquisition.AuthorityKeys;
import dev.sliceplane.platform.api.acquisition.NodeSigner;
import dev.sliceplane.platform.api.acquisition.SliceDirectory;
import dev.sliceplane.platform.api.acquisition.SliceRecord;

/**
 * The acquisition SPIs on a joined node, driven by a real {@link NodeAgent} against an authority
 * over real HTTP ({@link FakeAuthority}, signing with a real key ring): what the node provides
 * before and after it holds keys and a credential, with the authority gone, and the on-demand
 * fetch of a slice the cache does not hold yet.
 */
class JoinedNodeAcquisitionTest {

    static final String HOST = "node1.princeton.edu";
    static final Instant T0 = Instant.parse("2026-06-01T12:00:00Z");
    static final String ALICE = "alice@princeton.edu";
    static final String KEY_BLOB = "AAAAC3NzaC1lZDI1NTE5AAAAIGtxTwcPdBSIPbr7DeQ1BTiYHrvnPS0cXWW1b3bGw7Sb";
    static final Duration LOOKUP_TIMEOUT = Duration.ofSeconds(1);
    static final Duration LOOKUP_INTERVAL = Duration.ofSeconds(5);

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
        server.slices = new ArrayList<>(List.of(slice("princeton_codeen", T0.plus(Duration.ofDays(30)))));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    NodeAgent agent(String url) throws IOException {
        return new NodeAgent(temp.resolve("node"), url, HOST, () -> FakeAuthority.TOKEN, Duration.ofSeconds(60),
                Duration.ofSeconds(5), clock);
    }

    static NodeSlice slice(String name, Instant expires) {
        PublicKey key = new PublicKey(ALICE, "ssh-ed25519", KEY_BLOB, null);
        return NodeSlice.of(new Slice(name, "", "", expires, Set.of(ALICE), 10), Map.of(ALICE, List.of(key)));
    }

    @Test
    void authorityKeysAreTheCachedJwksAndVerifyTheAuthoritysAgentCertificate() throws Exception {
        NodeAgent agent = agent(server.url());
        AuthorityKeys keys = JoinedNodeServices.authorityKeys(agent);
        assertTrue(agent.issuer().isEmpty(), "nothing to provide before the first refresh");
        Map<?, ?> jwk = (Map<?, ?>) ((List<?>) authority.jwks().get("keys")).get(0);
        String kid = (String) jwk.get("kid");
        assertTrue(keys.ed25519Key(kid, clock.instant()).isEmpty());

        agent.refresh();
        assertEquals(Optional.of("sliceplane-test"), agent.issuer());
        assertEquals("sliceplane-test", keys.issuer());
        assertArrayEquals(Base64.getUrlDecoder().decode((String) jwk.get("x")), keys.ed25519Key(kid, clock.instant()).orElseThrow());
        assertTrue(keys.ed25519Key("unknown", clock.instant()).isEmpty());

        // An agent certificate made at the authority verifies on the node, from the cache, offline.
        Ed25519PrivateKey agentKey = Ed25519PrivateKey.generate(new SecureRandom());
        String certificate = new AgentCertifierComponent(authority, clock).certify("agent", agentKey.publicKey().bytes(),
                Duration.ofDays(30));
        server.close();
        assertEquals(agentKey.publicKey(), Chains.agentKey(certificate, keys, clock.instant()));

        // And after a restart, from disk.
        NodeAgent restarted = agent(server.url());
        assertEquals(agentKey.publicKey(), Chains.agentKey(certificate, JoinedNodeServices.authorityKeys(restarted),
                clock.instant()));
    }

    @Test
    void theNodeSignerSignsWithTheKeyItsCredentialBinds() throws Exception {
        NodeAgent agent = agent(server.url());
        assertTrue(agent.validCredential().isEmpty(), "no NodeSigner before a credential is held");
        agent.refresh();
        assertEquals(Optional.of(agent.currentCredential()), agent.validCredential());

        NodeSigner signer = JoinedNodeServices.signer(agent);
        assertEquals(HOST, signer.hostname());
        assertEquals("princeton", signer.site());
        assertEquals(Optional.of(URI.create(server.url())), signer.authorityUrl());
        assertEquals(agent.publicKey(), Jws.B64.encodeToString(signer.publicKey()));
        Chains.leaseVerifies(signer, JoinedNodeServices.authorityKeys(agent), clock.instant());

        // After a renewal the signer hands out the new credential.
        String first = signer.credential();
        clock.advance(Duration.ofDays(5));
        agent.refresh();
        assertEquals(1, server.renewals.get());
        assertFalse(first.equals(signer.credential()));
        Chains.leaseVerifies(signer, JoinedNodeServices.authorityKeys(agent), clock.instant());

        // Once it expires unrenewed (the authority gone), the node holds no valid credential.
        server.close();
        clock.advance(Duration.ofDays(8));
        agent.refresh();
        assertTrue(agent.validCredential().isEmpty());
    }

    @Test
    void aSliceMissingFromTheCacheIsAskedOfTheAuthorityOnceAndRateLimited() throws Exception {
        NodeAgent agent = agent(server.url());
        agent.refresh();
        SliceDirectory slices = new CachedSliceDirectory(agent, LOOKUP_TIMEOUT, LOOKUP_INTERVAL);
        SliceRecord codeen = slices.slice("princeton_codeen").orElseThrow();
        assertEquals(List.of("ssh-ed25519 " + KEY_BLOB), codeen.memberKeys().get(ALICE));
        assertEquals(10, codeen.maxSlivers());
        int calls = server.full.get() + server.notModified.get();
        assertEquals(calls, server.full.get() + server.notModified.get(), "a hit asks nobody");

        // Made at the authority after the refresh: found by one on-demand fetch.
        server.slices = List.of(slice("princeton_codeen", T0.plus(Duration.ofDays(30))),
                slice("princeton_fresh", T0.plus(Duration.ofDays(1))));
        assertEquals("princeton_fresh", slices.slice("princeton_fresh").orElseThrow().name());
        assertEquals(calls + 1, server.full.get() + server.notModified.get());

        // Unknown names within the interval ask nobody; after it, once more.
        assertTrue(slices.slice("princeton_ghost").isEmpty());
        assertTrue(slices.slice("princeton_ghost2").isEmpty());
        assertEquals(calls + 1, server.full.get() + server.notModified.get());
        clock.advance(LOOKUP_INTERVAL);
        assertTrue(slices.slice("princeton_ghost").isEmpty());
        assertEquals(calls + 2, server.full.get() + server.notModified.get());
        assertEquals(1, server.notModified.get(), "the on-demand fetch is conditional too");

        // Expired slices are never returned, from the cache or the authority.
        clock.advance(Duration.ofDays(2));
        assertTrue(slices.slice("princeton_fresh").isEmpty());
        assertTrue(slices.slice("princeton_codeen").isPresent());
    }

    @Test
    void aLookupWaitsNoLongerThanItsTimeoutForAnAuthorityThatDoesNotAnswer() throws Exception {
        agent(server.url()).refresh();
        // An authority that accepts connections and never answers.
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            NodeAgent agent = agent("http://127.0.0.1:" + silent.getLocalPort());
            SliceDirectory slices = new CachedSliceDirectory(agent, LOOKUP_TIMEOUT, LOOKUP_INTERVAL);
            assertTrue(slices.slice("princeton_codeen").isPresent(), "the cache from disk answers");
            long started = System.nanoTime();
            assertTrue(slices.slice("princeton_fresh").isEmpty());
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            assertTrue(took.compareTo(LOOKUP_TIMEOUT) >= 0 && took.compareTo(Duration.ofSeconds(5)) < 0, took.toString());
        }
    }
}
