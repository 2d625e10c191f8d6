package dev.sliceplane.discovery.jgroups.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.sliceplane.discovery.api.Liveness;
import dev.sliceplane.discovery.api.NodeAdvert;
import dev.sliceplane.jose.Ed25519PrivateKey;

class AdvertCodecTest {

    private static final String MEMBER = "3f1c0c7e-0000-0000-0000-000000000001";
    private static final AdvertContent CONTENT = new AdvertContent(URI.create("http://10.0.0.5:8080"),
            List.of("node"), "0.1.0", "Princeton", 8, 0.25, 1.5, 16L << 30, 8L << 30, 100L << 30, null, 3, "UP");

    private final TestAuthority authority = new TestAuthority("https://plc.test");
    private final TestAuthority.TestNode node = authority.node("n1.example.org");
    private final AdvertCodec codec = new AdvertCodec(authority, Clock.systemUTC());

    @Test
    void aSignedAdvertReadsBackAsWhatTheNodeSaid() {
        NodeAdvert advert = codec.verify(codec.sign(node, MEMBER, CONTENT, Duration.ofMinutes(1)), MEMBER);

        assertEquals("n1.example.org", advert.hostname());
        assertEquals("site1", advert.site());
        assertEquals(URI.create("http://10.0.0.5:8080"), advert.url());
        assertEquals(List.of("node"), advert.roles());
        assertEquals("Princeton", advert.location());
        assertEquals(8, advert.cores());
        assertEquals(0.25, advert.cpuBusy());
        assertEquals(6.0, advert.cpuFree());
        assertEquals(8L << 30, advert.memAvailable());
        assertNull(advert.diskAvailable(), "a figure not measured stays unknown");
        assertEquals(3, advert.slivers());
        assertEquals("UP", advert.health());
        assertEquals(Liveness.ALIVE, advert.liveness());
    }

    @Test
    void aTamperedAdvertIsRejected() {
        String token = codec.sign(node, MEMBER, CONTENT, Duration.ofMinutes(1));
        String[] parts = token.split("\\.");
        String claims = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("\"slivers\":3", "\"slivers\":0");
        String tampered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];

        AdvertRejectedException e = assertThrows(AdvertRejectedException.class, () -> codec.verify(tampered, MEMBER));
        assertTrue(e.getMessage().contains("signature"), e.getMessage());
    }

    @Test
    void anAdvertSignedWithAnotherKeyThanTheCredentialCertifiesIsRejected() {
        TestAuthority.TestNode impostor = node.withKey(Ed25519PrivateKey.generate(new SecureRandom()));
        String token = codec.sign(impostor, MEMBER, CONTENT, Duration.ofMinutes(1));

        assertThrows(AdvertRejectedException.class, () -> codec.verify(token, MEMBER));
    }

    @Test
    void aCredentialFromAnotherAuthorityIsRejected() {
        TestAuthority rogue = new TestAuthority("https://plc.test");
        String token = codec.sign(rogue.node("n1.example.org"), MEMBER, CONTENT, Duration.ofMinutes(1));

        AdvertRejectedException e = assertThrows(AdvertRejectedException.class, () -> codec.verify(token, MEMBER));
        assertTrue(e.getMessage().contains("credential"), e.getMessage());
    }

    @Test
    void anExpiredCredentialIsRejected() {
        TestAuthority.TestNode expired = authority.node("n2.example.org", "site1", Duration.ofMinutes(-5));

        assertThrows(AdvertRejectedException.class,
                () -> codec.verify(codec.sign(expired, MEMBER, CONTENT, Duration.ofMinutes(1)), MEMBER));
    }

    @Test
    void anAdvertReplayedByAnotherMemberIsRejected() {
        String token = codec.sign(node, MEMBER, CONTENT, Duration.ofMinutes(1));

        AdvertRejectedException e = assertThrows(AdvertRejectedException.class,
                () -> codec.verify(token, "3f1c0c7e-0000-0000-0000-000000000002"));
        assertTrue(e.getMessage().contains("came from"), e.getMessage());
    }

    @Test
    void anOldAdvertIsRejected() {
        Clock past = Clock.fixed(Instant.now().minus(Duration.ofMinutes(10)), ZoneOffset.UTC);
        String token = new AdvertCodec(authority, past).sign(node, MEMBER, CONTENT, Duration.ofMinutes(1));

        assertThrows(AdvertRejectedException.class, () -> codec.verify(token, MEMBER));
    }

    @Test
    void somethingElseThanAnAdvertIsRejected() {
        assertThrows(AdvertRejectedException.class, () -> codec.verify(node.credential(), MEMBER));
        assertThrows(AdvertRejectedException.class, () -> codec.verify("not a token", MEMBER));
    }

    @Test
    void aCredentialVerifiedBeforeIsRememberedAndItsNextAdvertAccepted() {
        VerifiedTexts verified = new VerifiedTexts(authority);
        AdvertCodec remembering = new AdvertCodec(verified, Clock.systemUTC());
        remembering.verify(remembering.sign(node, MEMBER, CONTENT, Duration.ofMinutes(1)), MEMBER);

        assertTrue(verified.credential(node.credential()).isPresent(), "the credential is remembered by its text");
        AdvertContent changed = new AdvertContent(CONTENT.url(), CONTENT.roles(), "0.1.0", "Princeton", 8, 0.5, 1.5,
                16L << 30, 8L << 30, 100L << 30, null, 4, "UP");
        assertEquals(4, remembering.verify(remembering.sign(node, MEMBER, changed, Duration.ofMinutes(1)), MEMBER).slivers());
    }

    @Test
    void aRememberedCredentialNoLongerCountsOnceItsAuthorityKeyIsRetired() {
        VerifiedTexts verified = new VerifiedTexts(authority);
        AdvertCodec remembering = new AdvertCodec(verified, Clock.systemUTC());
        String token = remembering.sign(node, MEMBER, CONTENT, Duration.ofMinutes(1));
        remembering.verify(token, MEMBER);

        authority.retireKey();

        assertThrows(AdvertRejectedException.class, () -> remembering.verify(token, MEMBER), "the same bytes again");
        assertThrows(AdvertRejectedException.class,
                () -> remembering.verify(remembering.sign(node, MEMBER, CONTENT, Duration.ofMinutes(1)), MEMBER),
                "a new advert with the remembered credential");
    }

    @Test
    void theSameBytesFromTheSameMemberAreNotVerifiedAgain() {
        VerifiedTexts verified = new VerifiedTexts(authority);
        AdvertCodec remembering = new AdvertCodec(verified, Clock.systemUTC());
        String token = remembering.sign(node, MEMBER, CONTENT, Duration.ofMinutes(1));
        remembering.verify(token, MEMBER);
        plantSlivers(verified, token, 99);

        assertEquals(99, remembering.verify(token, MEMBER).slivers());
    }

    @Test
    void anOlderAdvertArrivingAfterANewerOneIsNotVerifiedAgain() {
        VerifiedTexts verified = new VerifiedTexts(authority);
        AdvertCodec remembering = new AdvertCodec(verified, Clock.systemUTC());
        String older = remembering.sign(node, MEMBER, CONTENT, Duration.ofMinutes(1));
        remembering.verify(older, MEMBER);
        plantSlivers(verified, older, 99);
        // The member's next advert (as multicast), then the older one (as a unicast to a newcomer, late).
        String newer = remembering.sign(node, MEMBER, CONTENT, Duration.ofMinutes(2));
        remembering.verify(newer, MEMBER);

        assertEquals(99, remembering.verify(older, MEMBER).slivers(), "the older text was served from memory");
        assertTrue(verified.advert(MEMBER, newer).isPresent(), "and the newer is still remembered");
    }

    @Test
    void aRememberedAdvertReplayedByAnotherMemberIsStillRejected() {
        VerifiedTexts verified = new VerifiedTexts(authority);
        AdvertCodec remembering = new AdvertCodec(verified, Clock.systemUTC());
        String token = remembering.sign(node, MEMBER, CONTENT, Duration.ofMinutes(1));
        remembering.verify(token, MEMBER);

        AdvertRejectedException e = assertThrows(AdvertRejectedException.class,
                () -> remembering.verify(token, "3f1c0c7e-0000-0000-0000-000000000002"));
        assertTrue(e.getMessage().contains("came from"), e.getMessage());
    }

    @Test
    void aRememberedAdvertIsRejectedOnceItExpires() {
        VerifiedTexts verified = new VerifiedTexts(authority);
        Instant start = Instant.now();
        Instant[] now = {start};
        Clock moving = new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now[0];
            }
        };
        AdvertCodec remembering = new AdvertCodec(verified, moving);
        String token = remembering.sign(node, MEMBER, CONTENT, Duration.ofMinutes(1));
        remembering.verify(token, MEMBER);

        now[0] = start.plus(Duration.ofMinutes(5));

        AdvertRejectedException e = assertThrows(AdvertRejectedException.class, () -> remembering.verify(token, MEMBER));
        assertTrue(e.getMessage().contains("expired"), e.getMessage());
    }

    @Test
    void codecsSharingMemoryStillRefuseAnotherAuthoritysCredential() {
        VerifiedTexts verified = new VerifiedTexts(authority);
        AdvertCodec one = new AdvertCodec(verified, Clock.systemUTC());
        AdvertCodec two = new AdvertCodec(verified, Clock.systemUTC());
        TestAuthority rogue = new TestAuthority("https://plc.test");
        AdvertCodec forgersOwn = new AdvertCodec(rogue, Clock.systemUTC());
        String forged = forgersOwn.sign(rogue.node("n9.example.org"), MEMBER, CONTENT, Duration.ofMinutes(1));
        forgersOwn.verify(forged, MEMBER);

        assertThrows(AdvertRejectedException.class, () -> one.verify(forged, MEMBER));
        assertThrows(AdvertRejectedException.class, () -> two.verify(forged, MEMBER));
    }

    /**
     * Plants different claims under a remembered text: a later receipt that reads them was served
     * from memory, not verified again.
     */
    private static void plantSlivers(VerifiedTexts verified, String token, int slivers) {
        VerifiedTexts.Advert remembered = verified.advert(MEMBER, token).orElseThrow();
        var planted = remembered.claims().deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) planted).put("slivers", slivers);
        verified.remember(MEMBER, new VerifiedTexts.Advert(token, remembered.credential(), planted));
    }
}
