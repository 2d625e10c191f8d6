package dev.sliceplane.discovery.jgroups.internal;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.sliceplane.discovery.api.Liveness;
import dev.sliceplane.discovery.api.NodeAdvert;
import dev.sliceplane.jose.Ed25519PublicKey;
import dev.sliceplane.jose.Jws;
import dev.sliceplane.jose.JwsException;
import dev.sliceplane.jose.VerifiedJws;
import dev.sliceplane.platform.api.acquisition.AuthorityKeys;
import dev.sliceplane.platform.api.acquisition.NodeSigner;

/**
 * Writes and checks advertisements: a compact JWS of type {@value #TYPE} signed with the node's
 * key, whose {@code cred} claim is the node's credential. A receiver trusts nothing before both
 * signatures are checked: the credential against the authority's keys, the advert against the key
 * the credential certifies ({@code cnf.jwk}); then {@code sub} and {@code site} must match the
 * credential's and {@code member} the group address the advert came from, so a verified advert
 * replayed by another member is refused. Texts verified before are not verified again
 * ({@link VerifiedTexts}); what may have changed since is. Thread-safe.
 */
final class AdvertCodec {

    /** The advert's {@code typ}. */
    static final String TYPE = "node-advert+jwt";
    /** The node credential's {@code typ}, as the authority signs it. */
    static final String CREDENTIAL_TYPE = "node-credential+jwt";
    /** Clock skew allowed between nodes, as for tickets. */
    static final Duration SKEW = Duration.ofSeconds(30);

    private final VerifiedTexts verified;
    private final Clock clock;

    AdvertCodec(AuthorityKeys authority, Clock clock) {
        this(new VerifiedTexts(authority), clock);
    }

    /** A codec that remembers what it verified in {@code verified} (shared only by codecs trusting the same authority). */
    AdvertCodec(VerifiedTexts verified, Clock clock) {
        this.verified = verified;
        this.clock = clock;
    }

    /** Signs {@code content} as {@code signer}'s advert sent from group address {@code member}, valid {@code validFor}. */
    String sign(NodeSigner signer, String member, AdvertContent content, Duration validFor) {
        Instant now = clock.instant();
        ObjectNode claims = Jws.JSON.createObjectNode();
        claims.put("iss", signer.hostname());
        claims.put("sub", signer.hostname());
        claims.put("site", signer.site());
        claims.put("member", member);
        claims.put("iat", now.getEpochSecond());
        claims.put("at", now.toEpochMilli());
        claims.put("exp", now.plus(validFor).getEpochSecond());
        claims.put("url", content.url() == null ? "" : content.url().toString());
        content.roles().forEach(claims.putArray("roles")::add);
        claims.put("version", content.version());
        claims.put("location", content.location());
        claims.put("cores", content.cores());
        putIfKnown(claims, "cpu_busy", content.cpuBusy());
        putIfKnown(claims, "load1", content.load1());
        claims.put("mem_total", content.memTotal());
        putIfKnown(claims, "mem_available", content.memAvailable());
        claims.put("disk_total", content.diskTotal());
        putIfKnown(claims, "disk_available", content.diskAvailable());
        claims.put("slivers", content.slivers());
        claims.put("health", content.health());
        claims.put("cred", signer.credential());
        return Jws.sign(TYPE, signer.hostname(), claims, signer::sign);
    }

    /**
     * Checks {@code token}, received from group address {@code member}, and reads it as an ALIVE advert.
     *
     * @throws AdvertRejectedException naming the first check that failed
     */
    NodeAdvert verify(String token, String member) {
        Instant now = clock.instant();
        VerifiedTexts.Advert advert = verified.advert(member, token).orElse(null);
        if (advert == null) {
            advert = verifySignatures(token, now);
        } else if (!credentialHolds(advert.credential(), now)) {
            throw new AdvertRejectedException("the node credential has expired or its authority key was retired");
        }
        JsonNode claims = advert.claims();
        String hostname = advert.credential().hostname();
        // Checked on every receipt, cached or not: where the advert came from, and whether it is still fresh.
        if (!member.equals(claims.path("member").asText())) {
            throw new AdvertRejectedException(hostname + "'s advert for member " + claims.path("member").asText("(none)")
                    + " came from " + member);
        }
        if (!claims.path("exp").isIntegralNumber()
                || !Instant.ofEpochSecond(claims.path("exp").asLong()).plus(SKEW).isAfter(now)) {
            throw new AdvertRejectedException(hostname + "'s advert has expired");
        }
        verified.remember(member, advert);
        return read(hostname, advert.credential().site(), claims, now);
    }

    /** Both signatures of an advert not seen before (its credential's, unless that text verified before), and who it names. */
    private VerifiedTexts.Advert verifySignatures(String token, Instant now) {
        if (!TYPE.equals(Jws.peekType(token))) {
            throw new AdvertRejectedException("not a " + TYPE);
        }
        try {
            VerifiedTexts.Credential credential = credential(Jws.unverifiedClaims(token).path("cred").asText(""), now);
            JsonNode claims = Jws.verify(token, TYPE, credential.nodeKey()).claims();
            if (!credential.hostname().equals(claims.path("sub").asText())) {
                throw new AdvertRejectedException("sub " + claims.path("sub").asText("(none)")
                        + " is not the credential's " + credential.hostname());
            }
            if (!credential.site().equals(claims.path("site").asText())) {
                throw new AdvertRejectedException("site " + claims.path("site").asText("(none)")
                        + " is not the credential's " + credential.site());
            }
            return new VerifiedTexts.Advert(token, credential, claims);
        } catch (JwsException | IllegalArgumentException e) {
            throw new AdvertRejectedException(e.getMessage());
        }
    }

    /** The node credential {@code text}, verified now or verified before and still holding. */
    private VerifiedTexts.Credential credential(String text, Instant now) {
        VerifiedTexts.Credential known = verified.credential(text).orElse(null);
        if (known != null && credentialHolds(known, now)) {
            return known;
        }
        VerifiedTexts.Credential credential = verifyCredential(text, now);
        verified.remember(text, credential);
        return credential;
    }

    private boolean credentialHolds(VerifiedTexts.Credential credential, Instant now) {
        return credential.expires().plus(SKEW).isAfter(now) && verified.keyStillPublished(credential, now);
    }

    private VerifiedTexts.Credential verifyCredential(String credential, Instant now) {
        AuthorityKeys authority = verified.authority();
        byte[][] signingKey = new byte[1][];
        VerifiedJws verifiedCredential;
        try {
            verifiedCredential = Jws.verify(credential, CREDENTIAL_TYPE, kid -> authority.ed25519Key(kid, now)
                    .map(raw -> {
                        signingKey[0] = raw;
                        return Ed25519PublicKey.of(raw);
                    }).orElse(null));
        } catch (JwsException e) {
            throw new AdvertRejectedException("the node credential: " + e.getMessage());
        }
        JsonNode claims = verifiedCredential.claims();
        if (!authority.issuer().equals(claims.path("iss").asText())) {
            throw new AdvertRejectedException("the node credential was issued by " + claims.path("iss").asText("nobody")
                    + ", not by " + authority.issuer());
        }
        if (!claims.path("exp").isIntegralNumber()
                || !Instant.ofEpochSecond(claims.path("exp").asLong()).plus(SKEW).isAfter(now)) {
            throw new AdvertRejectedException("the node credential has expired");
        }
        String hostname = claims.path("sub").asText("");
        if (hostname.isEmpty()) {
            throw new AdvertRejectedException("the node credential names no node");
        }
        return new VerifiedTexts.Credential(hostname, claims.path("site").asText(""),
                Jws.keyOf(claims.path("cnf").path("jwk")), verifiedCredential.header().path("kid").asText(""),
                signingKey[0], Instant.ofEpochSecond(claims.path("exp").asLong()));
    }

    private static NodeAdvert read(String hostname, String site, JsonNode claims, Instant now) {
        List<String> roles = new ArrayList<>();
        claims.path("roles").forEach(role -> roles.add(role.asText()));
        String url = claims.path("url").asText("");
        Instant advertisedAt = claims.path("at").isIntegralNumber() ? Instant.ofEpochMilli(claims.path("at").asLong())
                : Instant.ofEpochSecond(claims.path("iat").asLong());
        return new NodeAdvert(hostname, site, url.isEmpty() ? null : URI.create(url), roles,
                claims.path("version").asText(""), claims.path("location").asText(""), claims.path("cores").asInt(),
                doubleOrNull(claims.path("cpu_busy")), doubleOrNull(claims.path("load1")),
                claims.path("mem_total").asLong(), longOrNull(claims.path("mem_available")),
                claims.path("disk_total").asLong(), longOrNull(claims.path("disk_available")),
                claims.path("slivers").asInt(), claims.path("health").asText("UNKNOWN"), advertisedAt, now,
                Liveness.ALIVE);
    }

    private static void putIfKnown(ObjectNode claims, String name, Number value) {
        if (value instanceof Double d) {
            claims.put(name, d);
        } else if (value != null) {
            claims.put(name, value.longValue());
        }
    }

    private static Double doubleOrNull(JsonNode value) {
        return value.isNumber() ? value.asDouble() : null;
    }

    private static Long longOrNull(JsonNode value) {
        return value.isIntegralNumber() ? value.asLong() : null;
    }
}
