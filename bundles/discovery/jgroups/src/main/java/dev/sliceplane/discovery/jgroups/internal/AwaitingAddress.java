package dev.sliceplane.discovery.jgroups.internal;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

import org.jgroups.Address;

/**
 * Messages for group members whose physical address the transport does not know yet, kept until it
 * learns the address (then sent) or for {@code maxAgeNanos} (then dropped, as JGroups would have
 * dropped them at once; retransmission still covers them).
 *
 * <p>Why: a member installs a view as soon as the coordinator's view message arrives, while the
 * newcomers' physical addresses come a few milliseconds later (JGroups' coordinator sends them in a
 * separate task, as discovery responses). Whatever a member sent a newcomer in between, its advert
 * or its copy of a multicast, JGroups' transport dropped ("no physical address"), and the newcomer
 * waited for a retransmission: 15 such drops a round when 20 members joined together.
 *
 * <p>At most {@code maxPerMember} messages wait for one member; older ones make way. Thread-safe.
 */
final class AwaitingAddress {

    private record Waiting(byte[] message, long since) {
    }

    private final int maxPerMember;
    private final long maxAgeNanos;
    private final LongSupplier nanoTime;
    private final Map<Address, Deque<Waiting>> waiting = new ConcurrentHashMap<>();

    AwaitingAddress(int maxPerMember, long maxAgeNanos, LongSupplier nanoTime) {
        this.maxPerMember = maxPerMember;
        this.maxAgeNanos = maxAgeNanos;
        this.nanoTime = nanoTime;
    }

    /**
     * Keeps a copy of {@code length} bytes of {@code buffer} from {@code offset} for {@code member}.
     *
     * @return whether nothing (fresh) waited for {@code member} before, i.e. its address is worth asking
     *     for now: once per member, again only after the age limit
     */
    boolean hold(Address member, byte[] buffer, int offset, int length) {
        long now = nanoTime.getAsLong();
        Waiting message = new Waiting(Arrays.copyOfRange(buffer, offset, offset + length), now);
        boolean[] first = new boolean[1];
        waiting.compute(member, (address, queue) -> { // the map's lock for member guards its queue
            if (queue == null) {
                queue = new ArrayDeque<>();
            }
            dropStale(queue, now);
            first[0] = queue.isEmpty();
            if (queue.size() == maxPerMember) {
                queue.removeFirst();
            }
            queue.addLast(message);
            return queue;
        });
        return first[0];
    }

    /** Removes and answers the messages still fresh that wait for {@code member}, oldest first. */
    List<byte[]> release(Address member) {
        Deque<Waiting> queue = waiting.remove(member); // once removed, no hold() can touch it
        if (queue == null) {
            return List.of();
        }
        dropStale(queue, nanoTime.getAsLong());
        return queue.stream().map(Waiting::message).toList();
    }

    /**
     * Forgets the messages older than the age limit. Not by membership: a member on its way in (not in
     * the view yet) is sent messages too.
     */
    void forgetStale() {
        long now = nanoTime.getAsLong();
        for (Address member : waiting.keySet()) {
            waiting.computeIfPresent(member, (address, queue) -> {
                dropStale(queue, now);
                return queue.isEmpty() ? null : queue;
            });
        }
    }

    private void dropStale(Deque<Waiting> queue, long now) {
        while (!queue.isEmpty() && now - queue.peekFirst().since() > maxAgeNanos) {
            queue.removeFirst();
        }
    }

    /** How many members have messages waiting. */
    int members() {
        return waiting.size();
    }
}
