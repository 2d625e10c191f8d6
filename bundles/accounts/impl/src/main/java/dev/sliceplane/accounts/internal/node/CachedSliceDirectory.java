package dev.sliceplane.accounts.internal.node;

import java.time.Duration;
import java.util.Optional;

import dev.sliceplane.accounts.internal.acquisition.SliceRecords;
import dev.sliceplane.platform.api.acquisition.SliceDirectory;
import dev.sliceplane.platform.api.acquisition.SliceRecord;

/**
 * {@link SliceDirectory} on a joined node: the slices its {@link NodeAgent} cached, so it answers
 * while the authority is down. A slice made at the authority after the last refresh is not in the
 * cache yet, and a ticket for it may arrive first (the broker hands tickets out at once); so a miss
 * asks the authority once, through {@link NodeAgent#fetchSlicesNow}: at most one such fetch per
 * {@code minInterval} for all names together (a stream of tickets for unknown slices cannot turn
 * into a stream of calls), each bounded by {@code timeout}, and none while the node holds no valid
 * credential. If the authority is unreachable the miss stands: an unknown slice.
 */
final class CachedSliceDirectory implements SliceDirectory {

    private final NodeAgent agent;
    private final Duration timeout;
    private final Duration minInterval;

    CachedSliceDirectory(NodeAgent agent, Duration timeout, Duration minInterval) {
        this.agent = agent;
        this.timeout = timeout;
        this.minInterval = minInterval;
    }

    @Override
    public Optional<SliceRecord> slice(String name) {
        Optional<SliceRecord> cached = agent.slice(name).map(SliceRecords::of);
        if (cached.isPresent() || name == null || name.isBlank()) {
            return cached;
        }
        return agent.fetchSlicesNow(timeout, minInterval) ? agent.slice(name).map(SliceRecords::of) : Optional.empty();
    }
}
