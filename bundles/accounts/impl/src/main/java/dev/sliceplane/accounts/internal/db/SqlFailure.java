package dev.sliceplane.accounts.internal.db;

import java.sql.SQLException;
import java.util.Locale;

/**
 * What a failed statement violated, read from the SQLSTATE (the same codes on H2 and PostgreSQL)
 * and the constraint name that both put in their messages. The registry names every constraint
 * (see the migrations), so the name says which rule was broken.
 */
public final class SqlFailure {

    /** The classes of integrity violation, by SQLSTATE. */
    public enum Kind {
        UNIQUE, FOREIGN_KEY, CHECK, NOT_NULL, OTHER
    }

    private final Kind kind;
    private final String text;

    private SqlFailure(Kind kind, String text) {
        this.kind = kind;
        this.text = text;
    }

    public static SqlFailure of(SQLException e) {
        return new SqlFailure(kindOf(e.getSQLState()), String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT));
    }

    public Kind kind() {
        return kind;
    }

    /** Whether this is a violation of the named constraint (names are compared ignoring case). */
    public boolean violates(String constraint) {
        return kind != Kind.OTHER && text.contains(constraint.toLowerCase(Locale.ROOT));
    }

    private static Kind kindOf(String state) {
        if (state == null) {
            return Kind.OTHER;
        }
        switch (state) {
            case "23505":
                return Kind.UNIQUE;
            case "23503": // PostgreSQL: both directions; H2: a parent row still has children
            case "23506": // H2: the referenced parent row is missing
                return Kind.FOREIGN_KEY;
            case "23513": // H2
            case "23514": // PostgreSQL
                return Kind.CHECK;
            case "23502":
                return Kind.NOT_NULL;
            default:
                return Kind.OTHER;
        }
    }
}
