package dev.sliceplane.discovery.jgroups.internal;

import java.net.InetAddress;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Lock;
import java.util.function.Predicate;

import org.jgroups.Address;
import org.jgroups.PhysicalAddress;
import org.jgroups.blocks.cs.Connection;
import org.jgroups.blocks.cs.NioServer;
import org.jgroups.util.SocketFactory;
import org.jgroups.util.ThreadFactory;
import org.jgroups.util.Util;

/**
 * JGroups' NioServer, except that it keeps two kinds of connection JGroups closes while members join,
 * together with whatever their peers had written on them. Each such loss was recovered only when
 * UNICAST3 or NAKACK2 resent the message, 100-300 ms later, and one round in three of five members
 * joining together waited for one (docs/benchmarks.md §10, eighth pass).
 * <ul>
 * <li><b>A connection refused in a simultaneous connect.</b> When two members open connections to
 * each other at once (as members greeting newcomers do), JGroups keeps one: the member with the
 * smaller address accepts the other's and closes its own, and the one with the bigger address refuses
 * the incoming connection and closes it unread. Here a refused connection is never written to but is
 * read to its end: its peer closes it gracefully, after flushing, as soon as it accepts this member's.
 * <li><b>A newcomer's connection when a view is installed.</b> JGroups closes every connection to a
 * peer outside the new view, which includes members still joining: a joiner's JOIN request to the
 * coordinator was lost so whenever the coordinator installed a view for an earlier joiner. Here only
 * the connections to members that left the view are closed.
 * </ul>
 *
 * <p>Refused connections are not in the server's connection table; they close when their peer closes
 * them, leaves the view, or this server stops.
 */
final class KeepingNioServer extends NioServer {

    private final Set<Connection> refused = ConcurrentHashMap.newKeySet();
    /** The physical addresses of the last view's members. */
    private volatile Set<Address> members = Set.of();

    KeepingNioServer(ThreadFactory threads, SocketFactory sockets, InetAddress bindAddress, int port,
                     InetAddress externalAddress, int externalPort, int receiveBufferSize) throws Exception {
        super(threads, sockets, bindAddress, port, port, externalAddress, externalPort, receiveBufferSize);
    }

    @Override
    public void handleIncomingConnection(Address peer, Connection connection) throws Exception {
        Lock lock = getLock(peer); // reentrant: JGroups takes it again below, so the decision cannot change
        lock.lock();
        try {
            // JGroups' rule: an existing connection is kept unless the peer's address is the bigger.
            if (hasConnection(peer) && local_addr.compareTo(peer) > 0) {
                refused.add(connection);
                log.trace("%s: reading the refused connection from %s until it closes", local_addr, peer);
            } else {
                super.handleIncomingConnection(peer, connection);
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void closeConnection(Connection connection, boolean notify) {
        if (refused.remove(connection)) {
            Util.close(connection); // never in the table, and its peer already uses another: nobody to tell
            return;
        }
        super.closeConnection(connection, notify);
    }

    @Override
    public void retainAll(Collection<Address> current, Predicate<PhysicalAddress> isMember) {
        if (current == null) {
            return;
        }
        Set<Address> departed = new HashSet<>(members);
        departed.removeAll(current);
        members = Set.copyOf(current);
        Set<Address> kept = new HashSet<>(conns.keySet());
        kept.removeAll(departed);
        kept.addAll(current);
        super.retainAll(kept, isMember);
        refused.removeIf(connection -> departed.contains(connection.peerAddress()) && closed(connection));
    }

    /** How many refused connections are still being read. */
    int refusedOpen() {
        return refused.size();
    }

    @Override
    public void stop() {
        super.stop();
        refused.removeIf(KeepingNioServer::closed);
    }

    private static boolean closed(Connection connection) {
        Util.close(connection);
        return true;
    }
}
