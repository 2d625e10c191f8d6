package dev.sliceplane.accounts.api;

/**
 * Which slices {@link Registry#listSlices} returns; a null field matches everything.
 *
 * @param site only slices of the site with this login base
 * @param member only slices that this principal (e-mail address) is a member of
 */
public record SliceFilter(String site, String member) {

    /** Every slice. */
    public static final SliceFilter ALL = new SliceFilter(null, null);

    public static SliceFilter ofSite(String site) {
        return new SliceFilter(site, null);
    }

    public static SliceFilter ofMember(String member) {
        return new SliceFilter(null, member);
    }
}
