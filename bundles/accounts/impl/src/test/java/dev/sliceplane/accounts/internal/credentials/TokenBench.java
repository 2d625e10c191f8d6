package dev.sliceplane.accounts.internal.credentials;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.resolvers.JwksVerificationKeyResolver;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.sliceplane.accounts.api.IssuedToken;
import dev.sliceplane.accounts.api.TokenClaims;

/**
 * Access tokens: our issue and verify paths and, in the same run, their peers. Run by
 * {@code bench/accounts-bench.sh} (see docs/benchmarks.md); never by {@code mvn verify}.
 *
 * <ul>
 * <li>{@code issue}: {@link AuthorityComponent#issue}, as the token endpoint calls it (rotation
 * check, claims JSON, random {@code jti}, Ed25519 signature, base64url).
 * <li>{@code verify}: {@link AuthorityComponent#verify} on a token it issued, with the cache of
 * verified tokens off, so every call does the whole work: split, parse the header, find the key,
 * check the signature, parse and check the claims. The figure for a token seen for the first time.
 * <li>{@code verifyRepeat}: the same with the cache on (the default): the same token again, as a
 * client sends it with each request of its life; a hit still checks expiry and key.
 * <li>{@code peerBcSign}, {@code peerBcVerify}: BouncyCastle's Ed25519 alone, with the same key,
 * on a message as long as the token's signing input. The ceiling for ours.
 * <li>{@code peerJose4jVerify}: jose4j (the JDK's EdDSA) verifying the same token against our JWKS,
 * checking issuer, expiry and algorithm.
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class TokenBench {

    private Path keys;
    private AuthorityComponent authority;
    private AuthorityComponent cached;
    private String token;
    private SigningKey key;
    private byte[] message;
    private byte[] signature;

    @Setup(Level.Trial)
    public void open() throws IOException {
        keys = Files.createTempDirectory("bench-accounts-keys");
        TestConfig uncached = TestConfig.defaults();
        uncached.verifiedCacheSize = 0;
        authority = new AuthorityComponent(keys, uncached, Clock.systemUTC());
        cached = new AuthorityComponent(keys, TestConfig.defaults(), Clock.systemUTC());
        token = authority.issue(TokenCodecTest.ALICE).token();
        key = authority.keyRing().current();
        message = token.substring(0, token.lastIndexOf('.')).getBytes(StandardCharsets.US_ASCII);
        signature = new byte[64];
        key.privateKey().sign(Ed25519.Algorithm.Ed25519, null, message, 0, message.length, signature, 0);
        if (!authority.verify(token).subject().equals(TokenCodecTest.ALICE.email())
                || !cached.verify(token).equals(authority.verify(token))) {
            throw new IllegalStateException("the token does not verify");
        }
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        try (Stream<Path> files = Files.walk(keys)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Benchmark
    public IssuedToken issue() {
        return authority.issue(TokenCodecTest.ALICE);
    }

    @Benchmark
    public TokenClaims verify() {
        return authority.verify(token);
    }

    @Benchmark
    public TokenClaims verifyRepeat() {
        return cached.verify(token);
    }

    @Benchmark
    public byte[] peerBcSign() {
        byte[] out = new byte[64];
        key.privateKey().sign(Ed25519.Algorithm.Ed25519, null, message, 0, message.length, out, 0);
        return out;
    }

    @Benchmark
    public boolean peerBcVerify() {
        return key.publicKey().verify(Ed25519.Algorithm.Ed25519, null, message, 0, message.length, signature, 0);
    }

    /** One jose4j consumer per thread: its thread safety is not what is measured. */
    @State(Scope.Thread)
    public static class Jose4j {
        JwtConsumer consumer;

        @Setup(Level.Trial)
        public void build(TokenBench bench) {
            try {
                JsonWebKeySet set = new JsonWebKeySet(new ObjectMapper().writeValueAsString(bench.authority.jwks()));
                consumer = new JwtConsumerBuilder()
                        .setRequireExpirationTime()
                        .setExpectedIssuer(TestConfig.defaults().issuer())
                        .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, "EdDSA")
                        .setVerificationKeyResolver(new JwksVerificationKeyResolver(set.getJsonWebKeys()))
                        .build();
                consumer.processToClaims(bench.token);
            } catch (Exception e) {
                throw new IllegalStateException("jose4j does not read our token", e);
            }
        }
    }

    @Benchmark
    public JwtClaims peerJose4jVerify(Jose4j jose4j) throws Exception {
        return jose4j.consumer.processToClaims(token);
    }
}
