package dev.sliceplane.accounts.api;

/**
 * Which principals {@link Registry#listPrincipals} returns; a null field matches everything.
 *
 * @param site only principals of the site with this login base
 * @param role only principals that have this role
 */
public record PrincipalFilter(String site, Role role) {

    /** Every principal. */
    public static final PrincipalFilter ALL = new PrincipalFilter(null, null);

    public static PrincipalFilter ofSite(String site) {
        return new PrincipalFilter(site, null);
    }

    public static PrincipalFilter ofRole(Role role) {
        return new PrincipalFilter(null, role);
    }
}
