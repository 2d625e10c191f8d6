package dev.sliceplane.accounts.internal;

import static dev.sliceplane.accounts.internal.Fixtures.node;
import static dev.sliceplane.accounts.internal.Fixtures.site;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.sliceplane.accounts.api.BootState;
import dev.sliceplane.accounts.api.InvalidTokenException;
import dev.sliceplane.accounts.api.IssuedToken;
import dev.sliceplane.accounts.api.Node;
import dev.sliceplane.accounts.api.RegistryException;
import dev.sliceplane.accounts.api.RegistryException.Reason;
import dev.sliceplane.accounts.internal.credentials.MutableClock;
import dev.sliceplane.accounts.internal.credentials.NodeBootstraps;
import dev.sliceplane.accounts.internal.db.DatabaseKind;
import dev.sliceplane.accounts.internal.db.RegistryDatabase;

/**
 * Node bootstrap tokens on each database (migration V4): one use only, also under concurrent
 * redemption; expiry; bound to their node; the key recorded with the token consumed, or neither.
 */
abstract class NodeBootstrapContract {

    static final String HOST = "node1.princeton.edu";
    static final Duration DAY = Duration.ofDays(1);

    abstract DataSource emptyDatabase();

    abstract DatabaseKind kind();

    RegistryDatabase database;
    JdbcRegistry registry;
    MutableClock clock;
    NodeBootstraps bootstraps;

    @BeforeEach
    void open() {
        database = RegistryDatabase.open(kind(), emptyDatabase(), 8);
        clock = new MutableClock(Clock.systemUTC().instant());
        registry = new JdbcRegistry(database, clock);
        bootstraps = new NodeBootstraps(database, clock, new SecureRandom());
        registry.addSite(site("princeton"));
        registry.addNode(node(HOST, "princeton"));
        registry.addNode(node("node2.princeton.edu", "princeton"));
    }

    @AfterEach
    void close() {
        if (database != null) {
            database.close();
        }
    }

    static String publicKey() {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(
                new Ed25519PrivateKeyParameters(new SecureRandom()).generatePublicKey().getEncoded());
    }

    @Test
    void aTokenRecordsTheKeyOnceAndMovesTheNodeToBoot() {
        IssuedToken token = bootstraps.issue(HOST, "admin@princeton.edu", DAY);
        assertTrue(token.token().matches("spb_[A-Za-z0-9_-]{43}"), token.token());
        assertEquals(clock.instant().plus(DAY).toEpochMilli(), token.expiresAt().toEpochMilli());
        assertEquals(1, bootstraps.liveTokens(HOST));
        String key = publicKey();
        Node node = bootstraps.redeem(HOST, token.token(), key);
        assertEquals(key, node.identityKey());
        assertEquals(BootState.BOOT, node.bootState());
        assertEquals(node, registry.getNode(HOST));
        assertEquals(0, bootstraps.liveTokens(HOST));
        assertThrows(InvalidTokenException.class, () -> bootstraps.redeem(HOST, token.token(), publicKey()));
        assertEquals(key, registry.getNode(HOST).identityKey(), "a second use changes nothing");
    }

    @Test
    void onlyAHashIsStored() throws Exception {
        IssuedToken token = bootstraps.issue(HOST, "admin@princeton.edu", DAY);
        String secret = token.token().substring(4);
        String stored = database.inTransaction(c -> {
            try (var s = c.createStatement(); var r = s.executeQuery("SELECT hash, node FROM node_bootstrap_token")) {
                r.next();
                return r.getString(1) + " " + r.getString(2);
            }
        });
        assertTrue(!stored.contains(secret) && stored.endsWith(HOST), stored);
    }

    @Test
    void anExpiredTokenIsRefused() {
        IssuedToken token = bootstraps.issue(HOST, "admin@princeton.edu", DAY);
        clock.advance(DAY);
        assertThrows(InvalidTokenException.class, () -> bootstraps.redeem(HOST, token.token(), publicKey()));
        assertEquals("", registry.getNode(HOST).identityKey());
    }

    @Test
    void aTokenIsBoundToItsNode() {
        IssuedToken token = bootstraps.issue(HOST, "admin@princeton.edu", DAY);
        assertThrows(InvalidTokenException.class, () -> bootstraps.redeem("node2.princeton.edu", token.token(), publicKey()));
        assertEquals(1, bootstraps.liveTokens(HOST), "a refused attempt does not use it up");
        bootstraps.redeem(HOST.toUpperCase(), token.token(), publicKey());
    }

    @Test
    void aKeyAnotherNodeHasLeavesTheTokenUnused() {
        String key = publicKey();
        bootstraps.redeem("node2.princeton.edu", bootstraps.issue("node2.princeton.edu", "a@b.org", DAY).token(), key);
        IssuedToken token = bootstraps.issue(HOST, "admin@princeton.edu", DAY);
        RegistryException e = assertThrows(RegistryException.class, () -> bootstraps.redeem(HOST, token.token(), key));
        assertEquals(Reason.ALREADY_EXISTS, e.reason());
        assertEquals(1, bootstraps.liveTokens(HOST), "rolled back with the failed update");
        bootstraps.redeem(HOST, token.token(), publicKey());
    }

    @Test
    void malformedInputIsRefusedBeforeTheDatabase() {
        IssuedToken token = bootstraps.issue(HOST, "admin@princeton.edu", DAY);
        assertEquals("publicKey", assertThrows(RegistryException.class,
                () -> bootstraps.redeem(HOST, token.token(), "A".repeat(43))).field(), "not a curve point");
        assertEquals("publicKey", assertThrows(RegistryException.class,
                () -> bootstraps.redeem(HOST, token.token(), "short")).field());
        assertThrows(InvalidTokenException.class, () -> bootstraps.redeem(HOST, "spb_' OR 1=1 --", publicKey()));
        assertThrows(InvalidTokenException.class, () -> bootstraps.redeem(HOST, null, publicKey()));
        assertEquals(1, bootstraps.liveTokens(HOST));
    }

    @Test
    void tokensOnlyForRegisteredNodes() {
        assertEquals(Reason.NOT_FOUND, assertThrows(RegistryException.class,
                () -> bootstraps.issue("ghost.princeton.edu", "a@b.org", DAY)).reason());
    }

    @Test
    void concurrentRedemptionsHaveOneWinner() throws Exception {
        for (int round = 0; round < 5; round++) {
            IssuedToken token = bootstraps.issue(HOST, "admin@princeton.edu", DAY);
            int threads = 6;
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                String key = publicKey();
                Callable<String> redeem = () -> {
                    start.await();
                    try {
                        bootstraps.redeem(HOST, token.token(), key);
                        return key;
                    } catch (InvalidTokenException e) {
                        return null;
                    }
                };
                results.add(pool.submit(redeem));
            }
            start.countDown();
            List<String> winners = new ArrayList<>();
            for (Future<String> result : results) {
                String key = result.get(30, TimeUnit.SECONDS);
                if (key != null) {
                    winners.add(key);
                }
            }
            pool.shutdown();
            assertEquals(1, winners.size(), "round " + round + ": exactly one redemption wins");
            assertEquals(winners.get(0), registry.getNode(HOST).identityKey());
        }
    }
}
