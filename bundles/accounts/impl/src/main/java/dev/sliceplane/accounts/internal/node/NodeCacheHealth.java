package dev.sliceplane.accounts.internal.node;

import java.time.Duration;

import dev.sliceplane.accounts.api.NodeCache;
import dev.sliceplane.accounts.api.NodeCacheStatus;
import dev.sliceplane.platform.api.health.HealthCheck;
import dev.sliceplane.platform.api.health.HealthResult;

/**
 * Health of a joined node's cache of its authority. DOWN until the node has a cache at all (it
 * could verify no token); UP while current; still UP when stale, saying so with its age, since
 * the node works on from the cache; WARN once stale for longer than {@code warnAfter}.
 */
final class NodeCacheHealth implements HealthCheck {

    private final NodeCache cache;
    private final Duration warnAfter;

    NodeCacheHealth(NodeCache cache, Duration warnAfter) {
        this.cache = cache;
        this.warnAfter = warnAfter;
    }

    @Override
    public HealthResult check() {
        NodeCacheStatus status = cache.status();
        if (status.refreshedAt() == null) {
            return HealthResult.down("no cache of authority " + status.authorityUrl() + " yet"
                    + (status.lastError().isEmpty() ? "" : ": " + status.lastError()));
        }
        long age = status.age().toSeconds();
        if (!status.stale()) {
            return HealthResult.up("authority " + status.authorityUrl() + ": cache refreshed " + age + " s ago, "
                    + cache.slices().size() + " slices");
        }
        String message = "cache stale, " + age + " s old: authority " + status.authorityUrl()
                + (status.lastError().isEmpty() ? " has not answered lately" : " failed: " + status.lastError());
        return status.age().compareTo(warnAfter) < 0 ? HealthResult.up(message) : HealthResult.warn(message);
    }
}
