package dev.sliceplane.accounts.internal.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.sliceplane.accounts.api.BootState;
import dev.sliceplane.accounts.api.Node;
import dev.sliceplane.accounts.api.NodeFilter;
import dev.sliceplane.accounts.api.RegistryException;
import dev.sliceplane.accounts.internal.db.SqlFailure;

/** Nodes in the {@code node} table; an unregistered node's identity key is stored as NULL. */
public final class NodeStore {

    private static final String COLUMNS = "hostname, site, identity_key, boot_state";

    private NodeStore() {
    }

    public static void insert(Connection c, Node node) throws SQLException {
        try {
            Statements.update(c, "INSERT INTO node (" + COLUMNS + ") VALUES (?, ?, ?, ?)",
                    node.hostname(), node.site(), identityKey(node), bootState(node.bootState()));
        } catch (SQLException e) {
            SqlFailure failure = SqlFailure.of(e);
            if (failure.violates("node_pk")) {
                throw RegistryException.alreadyExists("hostname", "node '" + node.hostname() + "' exists already");
            }
            throw otherViolation(failure, node, e);
        }
    }

    public static Node get(Connection c, String hostname) throws SQLException {
        Node node = Statements.queryOne(c, "SELECT " + COLUMNS + " FROM node WHERE hostname = ?", NodeStore::map, hostname);
        if (node == null) {
            throw notFound(hostname);
        }
        return node;
    }

    public static List<Node> list(Connection c, NodeFilter filter) throws SQLException {
        List<String> conditions = new ArrayList<>();
        List<Object> parameters = new ArrayList<>();
        if (filter.site() != null) {
            conditions.add("site = ?");
            parameters.add(filter.site());
        }
        if (filter.bootState() != null) {
            conditions.add("boot_state = ?");
            parameters.add(bootState(filter.bootState()));
        }
        return Statements.query(c, "SELECT " + COLUMNS + " FROM node" + Statements.where(conditions)
                + " ORDER BY hostname", NodeStore::map, parameters.toArray());
    }

    public static void update(Connection c, Node node) throws SQLException {
        int rows;
        try {
            rows = Statements.update(c, "UPDATE node SET site = ?, identity_key = ?, boot_state = ? WHERE hostname = ?",
                    node.site(), identityKey(node), bootState(node.bootState()), node.hostname());
        } catch (SQLException e) {
            throw otherViolation(SqlFailure.of(e), node, e);
        }
        if (rows == 0) {
            throw notFound(node.hostname());
        }
    }

    public static void delete(Connection c, String hostname) throws SQLException {
        if (Statements.update(c, "DELETE FROM node WHERE hostname = ?", hostname) == 0) {
            throw notFound(hostname);
        }
    }

    private static SQLException otherViolation(SqlFailure failure, Node node, SQLException e) {
        if (failure.violates("node_site_fk")) {
            throw RegistryException.invalid("site", "no site '" + node.site() + "'");
        }
        if (failure.violates("node_identity_key_uq")) {
            throw RegistryException.alreadyExists("identityKey", "another node has this identity key");
        }
        return e;
    }

    private static String identityKey(Node node) {
        return node.identityKey().isEmpty() ? null : node.identityKey();
    }

    private static String bootState(BootState state) {
        return state.name().toLowerCase(Locale.ROOT);
    }

    private static Node map(ResultSet row) throws SQLException {
        return new Node(row.getString("hostname"), row.getString("site"), row.getString("identity_key"),
                BootState.valueOf(row.getString("boot_state").toUpperCase(Locale.ROOT)));
    }

    static RegistryException notFound(String hostname) {
        return RegistryException.notFound("no node '" + hostname + "'");
    }
}
