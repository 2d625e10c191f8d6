package dev.sliceplane.accounts.api;

/**
 * Which nodes {@link Registry#listNodes} returns; a null field matches everything.
 *
 * @param site only nodes of the site with this login base
 * @param bootState only nodes in this boot state
 */
public record NodeFilter(String site, BootState bootState) {

    /** Every node. */
    public static final NodeFilter ALL = new NodeFilter(null, null);

    public static NodeFilter ofSite(String site) {
        return new NodeFilter(site, null);
    }
}
