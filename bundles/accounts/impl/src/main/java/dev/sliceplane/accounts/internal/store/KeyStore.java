package dev.sliceplane.accounts.internal.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

import dev.sliceplane.accounts.api.PublicKey;
import dev.sliceplane.accounts.api.RegistryException;
import dev.sliceplane.accounts.internal.db.SqlFailure;

/** Public keys in the {@code public_key} table, identified by fingerprint. */
public final class KeyStore {

    private static final String COLUMNS = "owner, key_type, key_blob, fingerprint";

    private KeyStore() {
    }

    public static void insert(Connection c, PublicKey key) throws SQLException {
        try {
            Statements.update(c, "INSERT INTO public_key (" + COLUMNS + ") VALUES (?, ?, ?, ?)",
                    key.owner(), key.type(), key.key(), key.fingerprint());
        } catch (SQLException e) {
            SqlFailure failure = SqlFailure.of(e);
            if (failure.violates("public_key_pk")) {
                throw RegistryException.alreadyExists("key", "key " + key.fingerprint() + " is registered already");
            }
            if (failure.violates("public_key_owner_fk")) {
                throw RegistryException.invalid("owner", "no principal '" + key.owner() + "'");
            }
            throw e;
        }
    }

    public static PublicKey get(Connection c, String fingerprint) throws SQLException {
        PublicKey key = Statements.queryOne(c, "SELECT " + COLUMNS + " FROM public_key WHERE fingerprint = ?",
                KeyStore::map, fingerprint);
        if (key == null) {
            throw notFound(fingerprint);
        }
        return key;
    }

    public static List<PublicKey> list(Connection c, String owner) throws SQLException {
        if (owner == null) {
            return Statements.query(c, "SELECT " + COLUMNS + " FROM public_key ORDER BY owner, fingerprint", KeyStore::map);
        }
        return Statements.query(c, "SELECT " + COLUMNS + " FROM public_key WHERE owner = ? ORDER BY fingerprint",
                KeyStore::map, owner);
    }

    public static void delete(Connection c, String fingerprint) throws SQLException {
        if (Statements.update(c, "DELETE FROM public_key WHERE fingerprint = ?", fingerprint) == 0) {
            throw notFound(fingerprint);
        }
    }

    private static PublicKey map(ResultSet row) throws SQLException {
        return new PublicKey(row.getString("owner"), row.getString("key_type"), row.getString("key_blob"),
                row.getString("fingerprint"));
    }

    static RegistryException notFound(String fingerprint) {
        return RegistryException.notFound("no key '" + fingerprint + "'");
    }
}
