package dev.sliceplane.accounts.internal.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

import dev.sliceplane.accounts.api.ApiKeyInfo;
import dev.sliceplane.accounts.api.RegistryException;
import dev.sliceplane.accounts.internal.db.SqlFailure;

/** API key hashes in the {@code api_key} table (V2), identified by their public id. */
public final class ApiKeyStore {

    /** A stored key: its description and what its secret must hash to. */
    public record Stored(ApiKeyInfo info, String salt, String hash) {
    }

    private ApiKeyStore() {
    }

    public static void insert(Connection c, ApiKeyInfo info, String salt, String hash) throws SQLException {
        try {
            Statements.update(c, "INSERT INTO api_key (id, principal, salt, hash, created) VALUES (?, ?, ?, ?, ?)",
                    info.id(), info.principal(), salt, hash, info.created());
        } catch (SQLException e) {
            if (SqlFailure.of(e).violates("api_key_principal_fk")) {
                throw RegistryException.notFound("no principal '" + info.principal() + "'");
            }
            throw e;
        }
    }

    public static Stored get(Connection c, String id) throws SQLException {
        return Statements.queryOne(c, "SELECT id, principal, salt, hash, created FROM api_key WHERE id = ?",
                row -> new Stored(new ApiKeyInfo(row.getString("id"), row.getString("principal"),
                        Statements.instant(row, "created")), row.getString("salt"), row.getString("hash")), id);
    }

    public static List<ApiKeyInfo> list(Connection c, String principal) throws SQLException {
        return Statements.query(c, "SELECT id, principal, created FROM api_key WHERE principal = ? ORDER BY created, id",
                row -> new ApiKeyInfo(row.getString("id"), row.getString("principal"), Statements.instant(row, "created")),
                principal);
    }

    public static void delete(Connection c, String id) throws SQLException {
        if (Statements.update(c, "DELETE FROM api_key WHERE id = ?", id) == 0) {
            throw RegistryException.notFound("no API key '" + id + "'");
        }
    }

}
