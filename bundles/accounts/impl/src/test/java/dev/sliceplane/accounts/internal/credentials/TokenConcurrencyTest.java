package dev.sliceplane.accounts.internal.credentials;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.sliceplane.accounts.api.TokenClaims;

/**
 * One authority used from several threads at once, as the HTTP workers use it: every token
 * issued verifies, with the claims it was issued with and a {@code jti} of its own. (The rates
 * are measured by {@code TokenBench}, see docs/benchmarks.md.)
 */
class TokenConcurrencyTest {

    @TempDir
    Path temp;

    @Test
    void tokensIssuedAndVerifiedOnSeveralThreadsAreValidAndDistinct() throws Exception {
        AuthorityComponent authority = new AuthorityComponent(temp, TestConfig.defaults(), Clock.systemUTC());
        int threads = 4;
        int perThread = 500;
        Set<String> ids = ConcurrentHashMap.newKeySet();
        CyclicBarrier start = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        TokenClaims claims = authority.verify(authority.issue(TokenCodecTest.ALICE).token());
                        assertEquals(TokenCodecTest.ALICE.email(), claims.subject());
                        assertEquals(TokenCodecTest.ALICE.roles(), claims.roles());
                        ids.add(claims.id());
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(threads * perThread, ids.size(), "every jti is distinct");
    }
}
