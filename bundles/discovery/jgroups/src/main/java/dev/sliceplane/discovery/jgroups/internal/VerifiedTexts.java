package dev.sliceplane.discovery.jgroups.internal;

import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;

import dev.sliceplane.jose.Ed25519PublicKey;
import dev.sliceplane.platform.api.acquisition.AuthorityKeys;

/**
 * What a node has verified already, by exact text: node credentials (an advert carries its sender's
 * credential every time; once its authority signature checked out, the same text needs only its
 * expiry and its signing key rechecked), and each member's last two verified adverts (the same bytes
 * again, e.g. a member's advert unicast to a newcomer after it was multicast, skip both signature
 * checks). Without it a group of N members that re-advertises on view changes verifies two
 * signatures per advert per receiver, which dominates joining.
 *
 * <p>What can change is checked again on every hit: the credential's expiry and whether the
 * authority still publishes the key that signed it. What depends on the receipt — the group
 * address an advert came from, the advert's own expiry — is never cached (see {@link AdvertCodec}).
 * The cache belongs to one {@link AuthorityKeys}: codecs share it only when they trust the same
 * authority. Both maps are bounded (emptied when full: a miss only costs a verification).
 * Thread-safe.
 */
final class VerifiedTexts {

    /** Entries kept of each kind; a group bigger than this only verifies more. */
    static final int LIMIT = 10_000;

    /**
     * A verified node credential: who it certifies, the node key it certifies, and what must still
     * hold for it to count: its expiry and its authority's key {@code kid} (as it was then).
     */
    record Credential(String hostname, String site, Ed25519PublicKey nodeKey, String kid, byte[] authorityKey,
                      Instant expires) {
    }

    /** A verified advert's claims, and the credential it came with. */
    record Advert(String token, Credential credential, JsonNode claims) {
    }

    private final AuthorityKeys authority;
    private final Map<String, Credential> credentials = new ConcurrentHashMap<>();
    private final Map<String, LastTwo> lastAdvertsOfMember = new ConcurrentHashMap<>();

    /**
     * A member's last two verified adverts: the advert it unicast to newcomers can arrive after the
     * newer one it multicast since, and would otherwise be verified again and displace the newer.
     */
    private record LastTwo(Advert latest, Advert previous) {

        Optional<Advert> find(String token) {
            if (latest.token().equals(token)) {
                return Optional.of(latest);
            }
            return previous != null && previous.token().equals(token) ? Optional.of(previous) : Optional.empty();
        }
    }

    VerifiedTexts(AuthorityKeys authority) {
        this.authority = authority;
    }

    AuthorityKeys authority() {
        return authority;
    }

    /** The credential {@code text} verified before, if it was and its authority key is still published. */
    Optional<Credential> credential(String text) {
        return Optional.ofNullable(credentials.get(text));
    }

    void remember(String text, Credential credential) {
        bounded(credentials).put(text, credential);
    }

    /** One of {@code member}'s last two verified adverts, if its text is {@code token}. */
    Optional<Advert> advert(String member, String token) {
        LastTwo last = lastAdvertsOfMember.get(member);
        return last == null ? Optional.empty() : last.find(token);
    }

    void remember(String member, Advert advert) {
        bounded(lastAdvertsOfMember).compute(member, (m, last) -> {
            if (last == null || last.latest().token().equals(advert.token())) {
                return new LastTwo(advert, last == null ? null : last.previous());
            }
            if (last.previous() != null && last.previous().token().equals(advert.token())) {
                return new LastTwo(last.latest(), advert); // an older advert arriving late stays the older
            }
            return new LastTwo(advert, last.latest());
        });
    }

    /** Whether {@code credential}'s signing key is still the authority's at {@code now}. */
    boolean keyStillPublished(Credential credential, Instant now) {
        return authority.ed25519Key(credential.kid(), now).map(key -> Arrays.equals(key, credential.authorityKey()))
                .orElse(false);
    }

    private static <V> Map<String, V> bounded(Map<String, V> map) {
        if (map.size() >= LIMIT) {
            map.clear();
        }
        return map;
    }
}
