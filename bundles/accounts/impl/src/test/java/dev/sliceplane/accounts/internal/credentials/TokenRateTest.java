package dev.sliceplane.accounts.internal.credentials;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.resolvers.JwksVerificationKeyResolver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Rough issue and verify rates (printed; the figures in the README come from here). Asserts only
 * a floor far below the measured rates, so a slow shared machine does not fail the build.
 */
class TokenRateTest {

    @TempDir
    Path temp;

    @Test
    void rates() throws Exception {
        AuthorityComponent authority = new AuthorityComponent(temp, TestConfig.defaults(), Clock.systemUTC());
        String token = authority.issue(TokenCodecTest.ALICE).token();
        for (int i = 0; i < 3000; i++) { // warm up
            authority.verify(authority.issue(TokenCodecTest.ALICE).token());
        }
        double issue1 = rate(1, 5_000, () -> authority.issue(TokenCodecTest.ALICE));
        double verify1 = rate(1, 5_000, () -> authority.verify(token));
        double issue2 = rate(2, 5_000, () -> authority.issue(TokenCodecTest.ALICE));
        double verify2 = rate(2, 5_000, () -> authority.verify(token));

        SigningKey key = authority.keyRing().current();
        byte[] message = new byte[300];
        byte[] signature = new byte[64];
        key.privateKey().sign(org.bouncycastle.math.ec.rfc8032.Ed25519.Algorithm.Ed25519, null, message, 0, 300, signature, 0);
        double rawSign = rate(2, 5_000, () -> {
            byte[] sig = new byte[64];
            key.privateKey().sign(org.bouncycastle.math.ec.rfc8032.Ed25519.Algorithm.Ed25519, null, message, 0, 300, sig, 0);
            return sig;
        });
        double rawVerify = rate(2, 5_000, () -> key.publicKey().verify(
                org.bouncycastle.math.ec.rfc8032.Ed25519.Algorithm.Ed25519, null, message, 0, 300, signature, 0));

        JsonWebKeySet set = new JsonWebKeySet(new ObjectMapper().writeValueAsString(authority.jwks()));
        JwtConsumer jose4j = new JwtConsumerBuilder().setExpectedIssuer("sliceplane-test")
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, "EdDSA")
                .setVerificationKeyResolver(new JwksVerificationKeyResolver(set.getJsonWebKeys())).build();
        for (int i = 0; i < 300; i++) {
            jose4j.processToClaims(token);
        }
        double jose1 = rate(1, 2_000, () -> jose4j.processToClaims(token));
        System.out.printf("token rates (/s): issue %.0f (1 thread) %.0f (2 threads); verify %.0f (1) %.0f (2);"
                + " jose4j (JDK EdDSA) verify %.0f (1); raw BouncyCastle Ed25519 on 300 bytes, 2 threads: sign %.0f verify %.0f%n",
                issue1, issue2, verify1, verify2, jose1, rawSign, rawVerify);
        assertTrue(verify1 > 500 && issue1 > 500, "far below any sane rate");
    }

    static double rate(int threads, int perThread, Callable<?> op) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            long start = System.nanoTime();
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        op.call();
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
            return threads * perThread / ((System.nanoTime() - start) / 1e9);
        } finally {
            pool.shutdownNow();
        }
    }
}
