package dev.sliceplane.accounts.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Set;

import dev.sliceplane.accounts.api.BootState;
import dev.sliceplane.accounts.api.Node;
import dev.sliceplane.accounts.api.Principal;
import dev.sliceplane.accounts.api.PublicKey;
import dev.sliceplane.accounts.api.Role;
import dev.sliceplane.accounts.api.Site;
import dev.sliceplane.accounts.api.Slice;

/** Small, valid objects for the tests. */
final class Fixtures {

    /** The registry's clock in the tests. */
    static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    static final Instant NEXT_MONTH = NOW.plus(30, ChronoUnit.DAYS);

    static final String ED25519_A = sshBlob("ssh-ed25519", 1);
    static final String ED25519_B = sshBlob("ssh-ed25519", 2);

    private Fixtures() {
    }

    static Site site(String loginBase) {
        return new Site(loginBase, "Site " + loginBase, "https://" + loginBase + ".example.org/", 10);
    }

    static Principal principal(String email, String site, Role... roles) {
        return new Principal(email, "Person " + email, site, Set.of(roles), true);
    }

    static Slice slice(String name, String... members) {
        return new Slice(name, "slice " + name, "", NEXT_MONTH, Set.of(members), 100);
    }

    static Node node(String hostname, String site) {
        return new Node(hostname, site, "", BootState.INSTALL);
    }

    static PublicKey key(String owner, String blob) {
        return new PublicKey(owner, "ssh-ed25519", blob, null);
    }

    /** A base64 SSH key blob: the type as a length-prefixed string, then 32 key bytes from a seed. */
    static String sshBlob(String type, int seed) {
        byte[] name = type.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer blob = ByteBuffer.allocate(4 + name.length + 4 + 32);
        blob.putInt(name.length).put(name).putInt(32);
        for (int i = 0; i < 32; i++) {
            blob.put((byte) (seed * 31 + i));
        }
        return Base64.getEncoder().encodeToString(blob.array());
    }

    /** A node identity key: 32 bytes from a seed, unpadded base64url. */
    static String identityKey(int seed) {
        byte[] key = new byte[32];
        for (int i = 0; i < 32; i++) {
            key[i] = (byte) (seed * 17 + i);
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(key);
    }
}
