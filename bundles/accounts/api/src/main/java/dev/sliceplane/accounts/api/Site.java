package dev.sliceplane.accounts.api;

/**
 * A site: an institution that hosts nodes and whose principals create slices.
 *
 * @param loginBase the site's short, unique, immutable name, such as {@code princeton}; it is the
 *        prefix of every slice name of the site. 2-20 lower-case letters or digits, starting with
 *        a letter, no underscore.
 * @param name the full name, such as {@code Princeton University} (1-200 characters)
 * @param url the site's home page, an absolute http(s) URL, or empty
 * @param maxSlices how many slices the site may hold at once (0-10000)
 */
public record Site(String loginBase, String name, String url, int maxSlices) {

    /** The largest {@link #maxSlices} accepted. */
    public static final int MAX_SLICES_LIMIT = 10_000;

    public Site {
        Checks.loginBase("loginBase", loginBase);
        name = Checks.text("name", name, Checks.MAX_NAME);
        url = Checks.optionalUrl("url", url);
        Checks.range("maxSlices", maxSlices, 0, MAX_SLICES_LIMIT);
    }
}
