package dev.sliceplane.accounts.internal.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;

/** Node bootstrap tokens in {@code node_bootstrap_token}, found by the hash of the token. */
public final class BootstrapTokenStore {

    private BootstrapTokenStore() {
    }

    public static void insert(Connection c, String hash, String node, Instant created, Instant expires, String createdBy)
            throws SQLException {
        Statements.update(c, "INSERT INTO node_bootstrap_token (hash, node, created, expires, created_by)"
                + " VALUES (?, ?, ?, ?, ?)", hash, node, created, expires, createdBy);
    }

    /**
     * Deletes the token if it is this node's and unexpired, and says whether it did. The DELETE is
     * the one-time check: of two transactions redeeming the same token, the second waits on the
     * row's lock and then deletes nothing.
     */
    public static boolean consume(Connection c, String hash, String node, Instant now) throws SQLException {
        return Statements.update(c, "DELETE FROM node_bootstrap_token WHERE hash = ? AND node = ? AND expires > ?",
                hash, node, now) == 1;
    }

    /** Drops tokens that can no longer be used. */
    public static int deleteExpired(Connection c, Instant now) throws SQLException {
        return Statements.update(c, "DELETE FROM node_bootstrap_token WHERE expires <= ?", now);
    }

    /** How many unused, unexpired tokens a node has. */
    public static int countLive(Connection c, String node, Instant now) throws SQLException {
        return Statements.queryOne(c, "SELECT COUNT(*) FROM node_bootstrap_token WHERE node = ? AND expires > ?",
                row -> row.getInt(1), node, now);
    }
}
