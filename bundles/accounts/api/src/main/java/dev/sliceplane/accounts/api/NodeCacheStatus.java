package dev.sliceplane.accounts.api;

import java.time.Duration;
import java.time.Instant;

/**
 * How current a node's cache of its authority is.
 *
 * @param hostname            the node's host name at the authority
 * @param authorityUrl        the authority's base URL
 * @param credentialExpiresAt when the node's credential expires; null before the node has registered
 * @param refreshedAt         when the authority last answered a whole refresh (keys and slices);
 *                            null if it never has
 * @param age                 time since {@code refreshedAt}; null if never refreshed
 * @param stale               whether the last refreshes failed for longer than the refresh period allows
 * @param lastError           why the last refresh failed; empty after a successful one
 * @since 1.2
 */
public record NodeCacheStatus(String hostname, String authorityUrl, Instant credentialExpiresAt, Instant refreshedAt,
        Duration age, boolean stale, String lastError) {

    public NodeCacheStatus {
        Checks.notNull("hostname", hostname);
        Checks.notNull("authorityUrl", authorityUrl);
        lastError = lastError == null ? "" : lastError;
    }
}
