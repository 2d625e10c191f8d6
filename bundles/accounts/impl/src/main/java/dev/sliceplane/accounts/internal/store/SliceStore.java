package dev.sliceplane.accounts.internal.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import dev.sliceplane.accounts.api.RegistryException;
import dev.sliceplane.accounts.api.Slice;
import dev.sliceplane.accounts.api.SliceFilter;
import dev.sliceplane.accounts.internal.db.SqlFailure;

/** Slices in {@code slice}, their members in {@code slice_member}. */
public final class SliceStore {

    private static final String COLUMNS = "s.name, s.description, s.url, s.expires, s.max_slivers";

    private SliceStore() {
    }

    /**
     * Inserts a slice and its members. The site's row is locked first, so the slice count
     * checked against the site's cap cannot change before this transaction commits.
     */
    public static void insert(Connection c, Slice slice) throws SQLException {
        int maxSlices = SiteStore.lockForSliceCount(c, slice.site());
        if (maxSlices < 0) {
            throw RegistryException.invalid("name", "no site '" + slice.site() + "' for slice '" + slice.name() + "'");
        }
        int held = Statements.queryOne(c, "SELECT COUNT(*) FROM slice WHERE site = ?", row -> row.getInt(1), slice.site());
        if (held >= maxSlices) {
            throw new RegistryException(RegistryException.Reason.LIMIT_REACHED, "name",
                    "site '" + slice.site() + "' holds its maximum of " + maxSlices + " slices");
        }
        try {
            Statements.update(c, "INSERT INTO slice (name, site, description, url, expires, max_slivers)"
                    + " VALUES (?, ?, ?, ?, ?, ?)",
                    slice.name(), slice.site(), slice.description(), slice.url(), slice.expires(), slice.maxSlivers());
        } catch (SQLException e) {
            if (SqlFailure.of(e).violates("slice_pk")) {
                throw RegistryException.alreadyExists("name", "slice '" + slice.name() + "' exists already");
            }
            throw e;
        }
        for (String member : slice.members()) {
            insertMember(c, slice.name(), member, "members");
        }
    }

    public static Slice get(Connection c, String name) throws SQLException {
        List<Slice> found = select(c, SliceFilter.ALL, name);
        if (found.isEmpty()) {
            throw notFound(name);
        }
        return found.get(0);
    }

    public static List<Slice> list(Connection c, SliceFilter filter) throws SQLException {
        return select(c, filter, null);
    }

    /** Replaces the slice's fields and member set; the UPDATE locks the slice's row first. */
    public static void update(Connection c, Slice slice) throws SQLException {
        int rows = Statements.update(c, "UPDATE slice SET description = ?, url = ?, expires = ?, max_slivers = ?"
                + " WHERE name = ?", slice.description(), slice.url(), slice.expires(), slice.maxSlivers(), slice.name());
        if (rows == 0) {
            throw notFound(slice.name());
        }
        Set<String> current = members(c, slice.name());
        for (String gone : current) {
            if (!slice.members().contains(gone)) {
                Statements.update(c, "DELETE FROM slice_member WHERE slice = ? AND principal = ?", slice.name(), gone);
            }
        }
        for (String member : slice.members()) {
            if (!current.contains(member)) {
                insertMember(c, slice.name(), member, "members");
            }
        }
    }

    /** Memberships go with the slice (ON DELETE CASCADE). */
    public static void delete(Connection c, String name) throws SQLException {
        if (Statements.update(c, "DELETE FROM slice WHERE name = ?", name) == 0) {
            throw notFound(name);
        }
    }

    /** Adds a member unless present; the slice's row is locked so the check and insert are one step. */
    public static void addMember(Connection c, String slice, String member) throws SQLException {
        lock(c, slice);
        if (!members(c, slice).contains(member)) {
            insertMember(c, slice, member, "member");
        }
    }

    public static void removeMember(Connection c, String slice, String member) throws SQLException {
        lock(c, slice);
        if (Statements.update(c, "DELETE FROM slice_member WHERE slice = ? AND principal = ?", slice, member) == 0) {
            throw RegistryException.notFound("'" + member + "' is not a member of slice '" + slice + "'");
        }
    }

    private static void lock(Connection c, String slice) throws SQLException {
        if (Statements.queryOne(c, "SELECT name FROM slice WHERE name = ? FOR UPDATE", row -> row.getString(1), slice) == null) {
            throw notFound(slice);
        }
    }

    private static Set<String> members(Connection c, String slice) throws SQLException {
        return new HashSet<>(Statements.query(c, "SELECT principal FROM slice_member WHERE slice = ?",
                row -> row.getString(1), slice));
    }

    private static void insertMember(Connection c, String slice, String member, String field) throws SQLException {
        try {
            Statements.update(c, "INSERT INTO slice_member (slice, principal) VALUES (?, ?)", slice, member);
        } catch (SQLException e) {
            if (SqlFailure.of(e).violates("slice_member_principal_fk")) {
                throw RegistryException.invalid(field, "no principal '" + member + "'");
            }
            throw e;
        }
    }

    /** Slices matching the filter (and one name when given), with their members: two queries. */
    private static List<Slice> select(Connection c, SliceFilter filter, String name) throws SQLException {
        List<String> conditions = new ArrayList<>();
        List<Object> parameters = new ArrayList<>();
        if (name != null) {
            conditions.add("s.name = ?");
            parameters.add(name);
        }
        if (filter.site() != null) {
            conditions.add("s.site = ?");
            parameters.add(filter.site());
        }
        if (filter.member() != null) {
            conditions.add("EXISTS (SELECT 1 FROM slice_member f WHERE f.slice = s.name AND f.principal = ?)");
            parameters.add(filter.member());
        }
        String where = Statements.where(conditions);
        Object[] values = parameters.toArray();
        Map<String, Set<String>> members = new HashMap<>();
        for (String[] pair : Statements.query(c, "SELECT m.slice, m.principal FROM slice_member m"
                + " JOIN slice s ON s.name = m.slice" + where,
                row -> new String[] {row.getString(1), row.getString(2)}, values)) {
            members.computeIfAbsent(pair[0], k -> new TreeSet<>()).add(pair[1]);
        }
        return Statements.query(c, "SELECT " + COLUMNS + " FROM slice s" + where + " ORDER BY s.name",
                row -> new Slice(row.getString("name"), row.getString("description"), row.getString("url"),
                        Statements.instant(row, "expires"), members.getOrDefault(row.getString("name"), Set.of()),
                        row.getInt("max_slivers")),
                values);
    }

    static RegistryException notFound(String name) {
        return RegistryException.notFound("no slice '" + name + "'");
    }
}
