package dev.sliceplane.accounts.internal.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.sliceplane.accounts.api.Principal;
import dev.sliceplane.accounts.api.PrincipalFilter;
import dev.sliceplane.accounts.api.RegistryException;
import dev.sliceplane.accounts.api.Role;
import dev.sliceplane.accounts.internal.db.SqlFailure;

/** Principals in {@code principal}, their roles in {@code principal_role}. */
public final class PrincipalStore {

    private PrincipalStore() {
    }

    public static void insert(Connection c, Principal principal) throws SQLException {
        try {
            Statements.update(c, "INSERT INTO principal (email, name, site, enabled) VALUES (?, ?, ?, ?)",
                    principal.email(), principal.name(), principal.site(), principal.enabled());
        } catch (SQLException e) {
            SqlFailure failure = SqlFailure.of(e);
            if (failure.violates("principal_pk")) {
                throw RegistryException.alreadyExists("email", "principal '" + principal.email() + "' exists already");
            }
            throw siteMissingOr(failure, principal, e);
        }
        insertRoles(c, principal.email(), principal.roles());
    }

    public static Principal get(Connection c, String email) throws SQLException {
        List<Principal> found = select(c, new PrincipalFilter(null, null), email);
        if (found.isEmpty()) {
            throw notFound(email);
        }
        return found.get(0);
    }

    public static List<Principal> list(Connection c, PrincipalFilter filter) throws SQLException {
        return select(c, filter, null);
    }

    public static void update(Connection c, Principal principal) throws SQLException {
        int rows;
        try {
            rows = Statements.update(c, "UPDATE principal SET name = ?, site = ?, enabled = ? WHERE email = ?",
                    principal.name(), principal.site(), principal.enabled(), principal.email());
        } catch (SQLException e) {
            throw siteMissingOr(SqlFailure.of(e), principal, e);
        }
        if (rows == 0) {
            throw notFound(principal.email());
        }
        Statements.update(c, "DELETE FROM principal_role WHERE principal = ?", principal.email());
        insertRoles(c, principal.email(), principal.roles());
    }

    /** Keys, roles and memberships go with the principal (ON DELETE CASCADE). */
    public static void delete(Connection c, String email) throws SQLException {
        if (Statements.update(c, "DELETE FROM principal WHERE email = ?", email) == 0) {
            throw notFound(email);
        }
    }

    private static void insertRoles(Connection c, String email, Set<Role> roles) throws SQLException {
        for (Role role : roles) {
            Statements.update(c, "INSERT INTO principal_role (principal, role) VALUES (?, ?)", email, role.id());
        }
    }

    /** Principals matching the filter (and one e-mail when given), with their roles: two queries. */
    private static List<Principal> select(Connection c, PrincipalFilter filter, String email) throws SQLException {
        List<String> conditions = new ArrayList<>();
        List<Object> parameters = new ArrayList<>();
        if (email != null) {
            conditions.add("p.email = ?");
            parameters.add(email);
        }
        if (filter.site() != null) {
            conditions.add("p.site = ?");
            parameters.add(filter.site());
        }
        if (filter.role() != null) {
            conditions.add("EXISTS (SELECT 1 FROM principal_role f WHERE f.principal = p.email AND f.role = ?)");
            parameters.add(filter.role().id());
        }
        String where = Statements.where(conditions);
        Object[] values = parameters.toArray();
        Map<String, Set<Role>> roles = new HashMap<>();
        for (String[] pair : Statements.query(c, "SELECT r.principal, r.role FROM principal_role r"
                + " JOIN principal p ON p.email = r.principal" + where,
                row -> new String[] {row.getString(1), row.getString(2)}, values)) {
            roles.computeIfAbsent(pair[0], k -> EnumSet.noneOf(Role.class)).add(Role.of(pair[1]));
        }
        return Statements.query(c, "SELECT p.email, p.name, p.site, p.enabled FROM principal p" + where
                + " ORDER BY p.email",
                row -> new Principal(row.getString("email"), row.getString("name"), row.getString("site"),
                        roles.getOrDefault(row.getString("email"), Set.of()), row.getBoolean("enabled")),
                values);
    }

    private static SQLException siteMissingOr(SqlFailure failure, Principal principal, SQLException e) {
        if (failure.violates("principal_site_fk")) {
            throw RegistryException.invalid("site", "no site '" + principal.site() + "'");
        }
        return e;
    }

    static RegistryException notFound(String email) {
        return RegistryException.notFound("no principal '" + email + "'");
    }
}
