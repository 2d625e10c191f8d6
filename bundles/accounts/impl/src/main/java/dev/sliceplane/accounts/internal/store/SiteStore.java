package dev.sliceplane.accounts.internal.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

import dev.sliceplane.accounts.api.RegistryException;
import dev.sliceplane.accounts.api.Site;
import dev.sliceplane.accounts.internal.db.SqlFailure;

/** Sites in the {@code site} table. */
public final class SiteStore {

    private static final String COLUMNS = "login_base, name, url, max_slices";

    private SiteStore() {
    }

    public static void insert(Connection c, Site site) throws SQLException {
        try {
            Statements.update(c, "INSERT INTO site (" + COLUMNS + ") VALUES (?, ?, ?, ?)",
                    site.loginBase(), site.name(), site.url(), site.maxSlices());
        } catch (SQLException e) {
            if (SqlFailure.of(e).violates("site_pk")) {
                throw RegistryException.alreadyExists("loginBase", "site '" + site.loginBase() + "' exists already");
            }
            throw e;
        }
    }

    public static Site get(Connection c, String loginBase) throws SQLException {
        Site site = Statements.queryOne(c, "SELECT " + COLUMNS + " FROM site WHERE login_base = ?",
                SiteStore::map, loginBase);
        if (site == null) {
            throw notFound(loginBase);
        }
        return site;
    }

    /**
     * The site's slice cap, with the site's row locked until the transaction ends, so that
     * concurrent slice creations for one site are counted one after the other.
     *
     * @return the cap, or -1 if there is no such site
     */
    public static int lockForSliceCount(Connection c, String loginBase) throws SQLException {
        Integer max = Statements.queryOne(c, "SELECT max_slices FROM site WHERE login_base = ? FOR UPDATE",
                row -> row.getInt(1), loginBase);
        return max == null ? -1 : max;
    }

    public static List<Site> list(Connection c) throws SQLException {
        return Statements.query(c, "SELECT " + COLUMNS + " FROM site ORDER BY login_base", SiteStore::map);
    }

    public static void update(Connection c, Site site) throws SQLException {
        int rows = Statements.update(c, "UPDATE site SET name = ?, url = ?, max_slices = ? WHERE login_base = ?",
                site.name(), site.url(), site.maxSlices(), site.loginBase());
        if (rows == 0) {
            throw notFound(site.loginBase());
        }
    }

    public static void delete(Connection c, String loginBase) throws SQLException {
        int rows;
        try {
            rows = Statements.update(c, "DELETE FROM site WHERE login_base = ?", loginBase);
        } catch (SQLException e) {
            SqlFailure failure = SqlFailure.of(e);
            if (failure.kind() == SqlFailure.Kind.FOREIGN_KEY) {
                throw RegistryException.referenced("site '" + loginBase + "' still has " + dependents(failure)
                        + "; delete them first");
            }
            throw e;
        }
        if (rows == 0) {
            throw notFound(loginBase);
        }
    }

    private static String dependents(SqlFailure failure) {
        if (failure.violates("slice_site_fk")) {
            return "slices";
        }
        if (failure.violates("principal_site_fk")) {
            return "principals";
        }
        if (failure.violates("node_site_fk")) {
            return "nodes";
        }
        return "slices, principals or nodes";
    }

    static RegistryException notFound(String loginBase) {
        return RegistryException.notFound("no site '" + loginBase + "'");
    }

    private static Site map(ResultSet row) throws SQLException {
        return new Site(row.getString("login_base"), row.getString("name"), row.getString("url"),
                row.getInt("max_slices"));
    }
}
