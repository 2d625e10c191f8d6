package dev.sliceplane.accounts.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import dev.sliceplane.accounts.api.RegistryException.Reason;

/** Every record checks its input on construction and names the field at fault. */
class RecordValidationTest {

    static final Instant LATER = Instant.parse("2030-01-01T00:00:00Z");

    static void invalid(String field, String message, Executable construct) {
        RegistryException e = assertThrows(RegistryException.class, construct);
        assertEquals(Reason.INVALID, e.reason());
        assertEquals(field, e.field());
        assertEquals(field + ": " + message, e.getMessage());
    }

    @Test
    void site() {
        Site site = new Site("princeton", "  Princeton University ", null, 10);
        assertEquals("Princeton University", site.name(), "trimmed");
        assertEquals("", site.url(), "no URL is empty");

        invalid("loginBase", "must be 2-20 lower-case letters or digits starting with a letter (like 'princeton'),"
                + " got 'Princeton'", () -> new Site("Princeton", "P", "", 1));
        invalid("loginBase", "is required", () -> new Site(null, "P", "", 1));
        invalid("loginBase", "must be 2-20 lower-case letters or digits starting with a letter (like 'princeton'),"
                + " got 'prince_ton'", () -> new Site("prince_ton", "P", "", 1));
        invalid("name", "is required", () -> new Site("princeton", " ", "", 1));
        invalid("name", "must be at most 200 characters, got 201", () -> new Site("princeton", "x".repeat(201), "", 1));
        invalid("name", "must not contain control characters", () -> new Site("princeton", "a\u0000b", "", 1));
        invalid("url", "must be an http or https URL, got 'ftp://x.org/'", () -> new Site("princeton", "P", "ftp://x.org/", 1));
        invalid("url", "must be an http or https URL, got 'not a url'", () -> new Site("princeton", "P", "not a url", 1));
        invalid("maxSlices", "must be between 0 and 10000, got -1", () -> new Site("princeton", "P", "", -1));
    }

    @Test
    void principal() {
        Principal p = new Principal("Alice@CS.Princeton.EDU", "Alice", "princeton", Set.of(Role.PI, Role.USER), true);
        assertEquals("alice@cs.princeton.edu", p.email(), "e-mail addresses are kept in lower case");
        assertTrue(p.hasRole(Role.PI));
        assertThrows(UnsupportedOperationException.class, () -> p.roles().add(Role.ADMIN));

        invalid("email", "must be an e-mail address (like 'alice@cs.princeton.edu'), got 'alice'",
                () -> new Principal("alice", "A", "princeton", Set.of(), true));
        invalid("email", "must be at most 254 characters",
                () -> new Principal("a".repeat(250) + "@x.org", "A", "princeton", Set.of(), true));
        invalid("site", "is required", () -> new Principal("a@b.org", "A", null, Set.of(), true));
        invalid("roles", "is required", () -> new Principal("a@b.org", "A", "princeton", null, true));
        Set<Role> withNull = new HashSet<>();
        withNull.add(null);
        invalid("roles", "must not contain null", () -> new Principal("a@b.org", "A", "princeton", withNull, true));
    }

    @Test
    void roles() {
        assertEquals(Role.NODE_OWNER, Role.of("node-owner"));
        invalid("roles", "unknown role 'root'; roles are admin, pi, user, tech, node-owner", () -> Role.of("root"));
    }

    @Test
    void slice() {
        Slice slice = new Slice("princeton_codeen", null, null, LATER.plusNanos(1_234_567), Set.of("Bob@MIT.edu"), 10);
        assertEquals("princeton", slice.site());
        assertEquals(Set.of("bob@mit.edu"), slice.members());
        assertEquals(LATER.plusNanos(1_234_000), slice.expires(), "kept to the microsecond");
        assertEquals("princeton_a_b", new Slice("princeton_a_b", "", "", LATER, Set.of(), 0).name());

        String nameRule = "must be the site's login base, '_' and 1-32 lower-case letters, digits or '_' (like 'princeton_codeen')";
        invalid("name", nameRule + ", got 'codeen'", () -> new Slice("codeen", "", "", LATER, Set.of(), 1));
        invalid("name", nameRule + ", got 'princeton_'", () -> new Slice("princeton_", "", "", LATER, Set.of(), 1));
        invalid("name", nameRule + ", got 'Princeton_CoDeeN'", () -> new Slice("Princeton_CoDeeN", "", "", LATER, Set.of(), 1));
        invalid("description", "must be at most 2000 characters, got 2001",
                () -> new Slice("princeton_codeen", "d".repeat(2001), "", LATER, Set.of(), 1));
        invalid("expires", "is required", () -> new Slice("princeton_codeen", "", "", null, Set.of(), 1));
        invalid("members", "must be an e-mail address (like 'alice@cs.princeton.edu'), got 'bob'",
                () -> new Slice("princeton_codeen", "", "", LATER, Set.of("bob"), 1));
        invalid("maxSlivers", "must be between 0 and 100000, got 100001",
                () -> new Slice("princeton_codeen", "", "", LATER, Set.of(), 100_001));
    }

    @Test
    void node() {
        String key = Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[32]);
        Node node = new Node("PlanetLab1.CS.Princeton.EDU", "princeton", key, BootState.BOOT);
        assertEquals("planetlab1.cs.princeton.edu", node.hostname());
        assertTrue(node.registered());
        assertEquals("", new Node("a.org", "princeton", null, BootState.INSTALL).identityKey());

        invalid("hostname", "must be a DNS host name (like 'planetlab1.cs.princeton.edu'), got 'bad_host.org'",
                () -> new Node("bad_host.org", "princeton", "", BootState.BOOT));
        invalid("identityKey", "must be an Ed25519 public key as unpadded base64url of 32 bytes (43 characters)",
                () -> new Node("a.org", "princeton", "abc", BootState.BOOT));
        invalid("bootState", "is required", () -> new Node("a.org", "princeton", "", null));
    }

    @Test
    void publicKey() {
        String blob = blob("ssh-ed25519", 32);
        PublicKey key = PublicKey.parse("Alice@Princeton.edu", "ssh-ed25519 " + blob + " alice@laptop");
        assertEquals("alice@princeton.edu", key.owner());
        assertEquals("ssh-ed25519 " + blob, key.openSshLine());
        assertTrue(key.fingerprint().matches("SHA256:[A-Za-z0-9+/]{43}"), key.fingerprint());
        assertEquals(key, new PublicKey(key.owner(), key.type(), key.key(), key.fingerprint()), "a matching fingerprint is accepted");

        invalid("type", "must be one of [ecdsa-sha2-nistp256, ecdsa-sha2-nistp384, ecdsa-sha2-nistp521, "
                + "sk-ecdsa-sha2-nistp256@openssh.com, sk-ssh-ed25519@openssh.com, ssh-ed25519, ssh-rsa], got 'ssh-dss'",
                () -> new PublicKey("a@b.org", "ssh-dss", blob, null));
        invalid("key", "is not valid base64", () -> new PublicKey("a@b.org", "ssh-ed25519", "%%%", null));
        invalid("key", "is a 'ssh-ed25519' key, not 'ssh-rsa'", () -> new PublicKey("a@b.org", "ssh-rsa", blob, null));
        invalid("key", "is too short to be an SSH public key", () -> new PublicKey("a@b.org", "ssh-rsa", "AAA=", null));
        invalid("key", "must be an OpenSSH public key line: 'type base64 [comment]'", () -> PublicKey.parse("a@b.org", "AAAA"));
        invalid("fingerprint", "does not match the key (it is " + key.fingerprint() + ")",
                () -> new PublicKey("a@b.org", "ssh-ed25519", blob, "SHA256:wrong"));
    }

    @Test
    void longOrOddInputIsQuotedBackShort() {
        RegistryException e = assertThrows(RegistryException.class, () -> new Site("x".repeat(500), "n", "", 1));
        assertTrue(e.getMessage().length() < 200, e.getMessage());
        assertTrue(e.getMessage().endsWith("...'"), e.getMessage());
    }

    static String blob(String type, int keyBytes) {
        byte[] name = type.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.allocate(8 + name.length + keyBytes);
        b.putInt(name.length).put(name).putInt(keyBytes);
        return Base64.getEncoder().encodeToString(b.array());
    }
}
