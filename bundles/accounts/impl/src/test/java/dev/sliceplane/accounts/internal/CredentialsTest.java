package dev.sliceplane.accounts.internal;

import static dev.sliceplane.accounts.internal.Fixtures.principal;
import static dev.sliceplane.accounts.internal.Fixtures.site;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.List;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.sliceplane.accounts.api.ApiKeyInfo;
import dev.sliceplane.accounts.api.InvalidTokenException;
import dev.sliceplane.accounts.api.IssuedToken;
import dev.sliceplane.accounts.api.NewApiKey;
import dev.sliceplane.accounts.api.Principal;
import dev.sliceplane.accounts.api.RegistryException;
import dev.sliceplane.accounts.api.Role;
import dev.sliceplane.accounts.internal.credentials.ApiKeys;
import dev.sliceplane.accounts.internal.credentials.AuthorityComponent;
import dev.sliceplane.accounts.internal.credentials.CredentialsComponent;
import dev.sliceplane.accounts.internal.credentials.PasswordHasher;
import dev.sliceplane.accounts.internal.credentials.Passwords;
import dev.sliceplane.accounts.internal.credentials.TestConfig;
import dev.sliceplane.accounts.internal.db.DatabaseKind;
import dev.sliceplane.accounts.internal.db.RegistryDatabase;

/** API keys and passwords in the database and their exchange for tokens, on H2. */
class CredentialsTest {

    @TempDir
    Path temp;

    DataSource dataSource;
    RegistryDatabase database;
    JdbcRegistry registry;
    AuthorityComponent authority;
    Passwords passwords;
    CredentialsComponent credentials;

    /** Cheap Argon2id parameters: these tests are about the flow, PasswordHasherTest about the cost. */
    static final PasswordHasher.Parameters FAST = new PasswordHasher.Parameters(64, 1, 1);

    @BeforeEach
    void open() {
        dataSource = TestDatabases.h2Memory();
        database = RegistryDatabase.open(DatabaseKind.H2, dataSource, 2);
        registry = new JdbcRegistry(database, Clock.systemUTC());
        authority = new AuthorityComponent(temp.resolve("keys"), TestConfig.defaults(), Clock.systemUTC());
        passwords = new Passwords(database, new PasswordHasher(FAST, new SecureRandom()), Clock.systemUTC());
        credentials = new CredentialsComponent(registry, new ApiKeys(database, Clock.systemUTC(), new SecureRandom()),
                passwords, authority);
        registry.addSite(site("princeton"));
        registry.addPrincipal(principal("alice@princeton.edu", "princeton", Role.PI));
    }

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void anApiKeyIsExchangedForAToken() {
        NewApiKey key = credentials.createApiKey("alice@princeton.edu");
        assertTrue(key.secret().matches("sp_[A-Za-z0-9_-]{16}\\.[A-Za-z0-9_-]{43}"), key.secret());
        assertTrue(key.secret().startsWith("sp_" + key.info().id() + "."));
        assertFalse(key.toString().contains(key.secret()), "toString hides the secret");
        IssuedToken token = credentials.issueToken(key.secret());
        assertEquals("alice@princeton.edu", authority.verify(token.token()).subject());
        assertEquals(List.of(key.info()), credentials.listApiKeys("alice@princeton.edu"));
    }

    @Test
    void onlyASaltedHashIsStored() throws Exception {
        NewApiKey key = credentials.createApiKey("alice@princeton.edu");
        NewApiKey other = credentials.createApiKey("alice@princeton.edu");
        String secret = key.secret().substring(key.secret().indexOf('.') + 1);
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT * FROM api_key ORDER BY id")) {
            int rows = 0;
            while (r.next()) {
                rows++;
                for (int i = 1; i <= r.getMetaData().getColumnCount(); i++) {
                    String value = r.getString(i);
                    assertFalse(value.contains(secret), "column " + r.getMetaData().getColumnName(i) + " holds the secret");
                }
                assertEquals(43, r.getString("hash").length());
            }
            assertEquals(2, rows);
        }
        assertFalse(key.info().id().equals(other.info().id()));
    }

    @Test
    void badKeysAreRefused() {
        NewApiKey key = credentials.createApiKey("alice@princeton.edu");
        String secret = key.secret();
        char c = secret.charAt(secret.length() - 5);
        String wrongSecret = secret.substring(0, secret.length() - 5) + (c == 'A' ? 'B' : 'A') + secret.substring(secret.length() - 4);
        assertThrows(InvalidTokenException.class, () -> credentials.issueToken(wrongSecret));
        assertThrows(InvalidTokenException.class, () -> credentials.issueToken("sp_AAAAAAAAAAAAAAAA." + "A".repeat(43)));
        assertThrows(InvalidTokenException.class, () -> credentials.issueToken("' OR 1=1 --"));
        assertThrows(InvalidTokenException.class, () -> credentials.issueToken(null));
        credentials.deleteApiKey(key.info().id());
        assertThrows(InvalidTokenException.class, () -> credentials.issueToken(secret));
        assertEquals(List.<ApiKeyInfo>of(), credentials.listApiKeys("alice@princeton.edu"));
    }

    @Test
    void disabledOrDeletedPrincipalsGetNoToken() {
        NewApiKey key = credentials.createApiKey("alice@princeton.edu");
        Principal alice = registry.getPrincipal("alice@princeton.edu");
        registry.updatePrincipal(new Principal(alice.email(), alice.name(), alice.site(), alice.roles(), false));
        assertThrows(InvalidTokenException.class, () -> credentials.issueToken(key.secret()));
        registry.deletePrincipal("alice@princeton.edu");
        assertThrows(InvalidTokenException.class, () -> credentials.issueToken(key.secret()));
        assertEquals(List.<ApiKeyInfo>of(), credentials.listApiKeys("alice@princeton.edu"), "keys go with their principal");
    }

    @Test
    void keysForUnknownPrincipalsOrIdsAreNotFound() {
        assertEquals(RegistryException.Reason.NOT_FOUND,
                assertThrows(RegistryException.class, () -> credentials.createApiKey("ghost@nowhere.org")).reason());
        assertEquals(RegistryException.Reason.NOT_FOUND,
                assertThrows(RegistryException.class, () -> credentials.deleteApiKey("nope")).reason());
    }

    @Test
    void aPasswordIsExchangedForAToken() {
        credentials.setPassword("Alice@Princeton.edu", "correct horse battery".toCharArray());
        IssuedToken token = credentials.issueToken("alice@princeton.edu", "correct horse battery".toCharArray());
        assertEquals("alice@princeton.edu", authority.verify(token.token()).subject());
        assertEquals("alice@princeton.edu", authority.verify(
                credentials.issueToken("ALICE@princeton.edu", "correct horse battery".toCharArray()).token()).subject(),
                "e-mail addresses are case-insensitive");
    }

    @Test
    void wrongPasswordsUnknownAddressesAndMissingPasswordsAreRefusedAlike() {
        credentials.setPassword("alice@princeton.edu", "correct horse battery".toCharArray());
        registry.addPrincipal(principal("bob@princeton.edu", "princeton", Role.USER));
        List<InvalidTokenException> refusals = List.of(
                assertThrows(InvalidTokenException.class,
                        () -> credentials.issueToken("alice@princeton.edu", "correct horse batterY".toCharArray())),
                assertThrows(InvalidTokenException.class,
                        () -> credentials.issueToken("ghost@princeton.edu", "correct horse battery".toCharArray())),
                assertThrows(InvalidTokenException.class,
                        () -> credentials.issueToken("bob@princeton.edu", "correct horse battery".toCharArray())),
                assertThrows(InvalidTokenException.class,
                        () -> credentials.issueToken("' OR 1=1 --", "correct horse battery".toCharArray())),
                assertThrows(InvalidTokenException.class,
                        () -> credentials.issueToken(null, (char[]) null)));
        for (InvalidTokenException refusal : refusals) {
            assertEquals("wrong e-mail address or password", refusal.getMessage());
        }
    }

    @Test
    void disabledOrDeletedPrincipalsGetNoTokenForTheirPassword() {
        credentials.setPassword("alice@princeton.edu", "correct horse battery".toCharArray());
        Principal alice = registry.getPrincipal("alice@princeton.edu");
        registry.updatePrincipal(new Principal(alice.email(), alice.name(), alice.site(), alice.roles(), false));
        assertThrows(InvalidTokenException.class,
                () -> credentials.issueToken("alice@princeton.edu", "correct horse battery".toCharArray()));
        registry.deletePrincipal("alice@princeton.edu");
        assertThrows(InvalidTokenException.class,
                () -> credentials.issueToken("alice@princeton.edu", "correct horse battery".toCharArray()));
    }

    @Test
    void passwordLengthIsCheckedAndNeverEchoed() {
        RegistryException shortOne = assertThrows(RegistryException.class,
                () -> credentials.setPassword("alice@princeton.edu", "elevenchars".toCharArray()));
        assertEquals(RegistryException.Reason.INVALID, shortOne.reason());
        assertEquals("password", shortOne.field());
        assertFalse(shortOne.getMessage().contains("elevenchars"), shortOne.getMessage());
        credentials.setPassword("alice@princeton.edu", "twelve chars".toCharArray());
        credentials.setPassword("alice@princeton.edu", "x".repeat(1024).toCharArray());
        assertEquals("password", assertThrows(RegistryException.class,
                () -> credentials.setPassword("alice@princeton.edu", "x".repeat(1025).toCharArray())).field());
        // Twelve characters outside the BMP are twelve characters, not 24 chars.
        credentials.setPassword("alice@princeton.edu", "\uD83D\uDE00".repeat(12).toCharArray());
        assertThrows(RegistryException.class,
                () -> credentials.setPassword("alice@princeton.edu", "\uD83D\uDE00".repeat(11).toCharArray()));
        assertEquals(RegistryException.Reason.NOT_FOUND, assertThrows(RegistryException.class,
                () -> credentials.setPassword("ghost@princeton.edu", "long enough password".toCharArray())).reason());
    }

    @Test
    void aNewPasswordReplacesTheOldAndOnlyAHashIsStored() throws Exception {
        credentials.setPassword("alice@princeton.edu", "the first password".toCharArray());
        credentials.setPassword("alice@princeton.edu", "the second password".toCharArray());
        assertThrows(InvalidTokenException.class,
                () -> credentials.issueToken("alice@princeton.edu", "the first password".toCharArray()));
        credentials.issueToken("alice@princeton.edu", "the second password".toCharArray());
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT * FROM principal_password")) {
            assertTrue(r.next());
            for (int i = 1; i <= r.getMetaData().getColumnCount(); i++) {
                assertFalse(String.valueOf(r.getString(i)).contains("password"), r.getMetaData().getColumnName(i));
            }
            assertEquals("argon2id", r.getString("algorithm"));
            assertEquals(64, r.getInt("memory_kib"));
            assertFalse(r.next(), "one row per principal");
        }
    }

    @Test
    void aHashWithOldParametersIsReplacedAtTheNextLogin() throws Exception {
        credentials.setPassword("alice@princeton.edu", "correct horse battery".toCharArray());
        PasswordHasher stronger = new PasswordHasher(new PasswordHasher.Parameters(128, 2, 1), new SecureRandom());
        Passwords upgraded = new Passwords(database, stronger, Clock.systemUTC());
        assertTrue(upgraded.verify("alice@princeton.edu", "correct horse battery".toCharArray()),
                "the stored parameters, not the current ones, verify");
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT memory_kib, iterations FROM principal_password")) {
            assertTrue(r.next());
            assertEquals(128, r.getInt(1));
            assertEquals(2, r.getInt(2));
        }
        assertTrue(passwords.verify("alice@princeton.edu", "correct horse battery".toCharArray()));
        assertFalse(upgraded.verify("alice@princeton.edu", "correct horse batter".toCharArray()));
    }

    @Test
    void passwordsGoWithTheirPrincipal() throws Exception {
        credentials.setPassword("alice@princeton.edu", "correct horse battery".toCharArray());
        registry.deletePrincipal("alice@princeton.edu");
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT COUNT(*) FROM principal_password")) {
            assertTrue(r.next());
            assertEquals(0, r.getInt(1));
        }
    }
}
