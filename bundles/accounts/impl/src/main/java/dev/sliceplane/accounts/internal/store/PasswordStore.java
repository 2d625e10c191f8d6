package dev.sliceplane.accounts.internal.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Base64;

import dev.sliceplane.accounts.api.RegistryException;
import dev.sliceplane.accounts.internal.credentials.PasswordHash;
import dev.sliceplane.accounts.internal.credentials.PasswordHasher;

/** Password hashes in the {@code principal_password} table (V3), one per principal. */
public final class PasswordStore {

    private static final Base64.Encoder ENCODE = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODE = Base64.getUrlDecoder();

    private PasswordStore() {
    }

    /**
     * Sets the principal's hash, replacing any earlier one. The principal's row is locked first,
     * so concurrent calls for one principal take turns instead of both inserting.
     *
     * @throws RegistryException NOT_FOUND when there is no such principal
     */
    public static void put(Connection c, String principal, PasswordHash hash, Instant updated) throws SQLException {
        if (Statements.queryOne(c, "SELECT email FROM principal WHERE email = ? FOR UPDATE",
                row -> row.getString(1), principal) == null) {
            throw RegistryException.notFound("no principal '" + principal + "'");
        }
        PasswordHasher.Parameters p = hash.parameters();
        String salt = ENCODE.encodeToString(hash.salt());
        String value = ENCODE.encodeToString(hash.hash());
        int rows = Statements.update(c, "UPDATE principal_password SET algorithm = ?, argon2_version = ?, memory_kib = ?,"
                + " iterations = ?, parallelism = ?, salt = ?, hash = ?, updated = ? WHERE principal = ?",
                hash.algorithm(), hash.version(), p.memoryKib(), p.iterations(), p.parallelism(), salt, value, updated,
                principal);
        if (rows == 0) {
            Statements.update(c, "INSERT INTO principal_password (principal, algorithm, argon2_version, memory_kib,"
                    + " iterations, parallelism, salt, hash, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    principal, hash.algorithm(), hash.version(), p.memoryKib(), p.iterations(), p.parallelism(), salt,
                    value, updated);
        }
    }

    /** The principal's hash, or null when they have no password (or do not exist). */
    public static PasswordHash get(Connection c, String principal) throws SQLException {
        return Statements.queryOne(c, "SELECT algorithm, argon2_version, memory_kib, iterations, parallelism, salt, hash"
                + " FROM principal_password WHERE principal = ?",
                row -> new PasswordHash(row.getString("algorithm"), row.getInt("argon2_version"),
                        new PasswordHasher.Parameters(row.getInt("memory_kib"), row.getInt("iterations"),
                                row.getInt("parallelism")),
                        DECODE.decode(row.getString("salt")), DECODE.decode(row.getString("hash"))),
                principal);
    }
}
