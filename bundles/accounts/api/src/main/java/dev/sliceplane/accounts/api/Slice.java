package dev.sliceplane.accounts.api;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A slice: a named set of resources across nodes, held by a site for a time.
 *
 * @param name unique and immutable, the site's login base, an underscore and a suffix, such as
 *        {@code princeton_codeen}; the suffix is 1-32 lower-case letters, digits or underscores
 * @param description what the slice is for (up to 2000 characters), or empty
 * @param url the slice's home page, an absolute http(s) URL, or empty
 * @param expires when the slice ends; the registry accepts only instants in the future. Kept to
 *        the microsecond, the finest both databases store.
 * @param members the e-mail addresses (lower case) of the principals who may use the slice
 * @param maxSlivers how many slivers (per-node parts) the slice may hold (0-100000)
 */
public record Slice(String name, String description, String url, Instant expires, Set<String> members,
        int maxSlivers) {

    /** Slice names: login base, underscore, suffix. */
    public static final Pattern NAME = Pattern.compile("([a-z][a-z0-9]{1,19})_([a-z0-9_]{1,32})");
    /** The largest {@link #maxSlivers} accepted. */
    public static final int MAX_SLIVERS_LIMIT = 100_000;

    public Slice {
        Checks.matches("name", name, NAME,
                "the site's login base, '_' and 1-32 lower-case letters, digits or '_' (like 'princeton_codeen')");
        description = Checks.optionalText("description", description, Checks.MAX_DESCRIPTION);
        url = Checks.optionalUrl("url", url);
        expires = Checks.notNull("expires", expires).truncatedTo(ChronoUnit.MICROS);
        Checks.noNulls("members", members);
        Set<String> normalized = new TreeSet<>();
        for (String member : members) {
            normalized.add(Checks.email("members", member));
        }
        members = Collections.unmodifiableSet(normalized);
        Checks.range("maxSlivers", maxSlivers, 0, MAX_SLIVERS_LIMIT);
    }

    /** The login base of the site that holds this slice: the name up to its first underscore. */
    public String site() {
        return name.substring(0, name.indexOf('_'));
    }

    /** This slice with another expiry. */
    public Slice withExpires(Instant newExpiry) {
        return new Slice(name, description, url, newExpiry, members, maxSlivers);
    }

    /** This slice with another member set. */
    public Slice withMembers(Set<String> newMembers) {
        return new Slice(name, description, url, expires, newMembers, maxSlivers);
    }
}
