package dev.sliceplane.discovery.jgroups.internal;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.jgroups.Address;
import org.jgroups.View;
import org.jgroups.conf.ClassConfigurator;
import org.jgroups.protocols.FD_ALL3;

/**
 * JGroups' FD_ALL3, except that a member this one has not heard for the timeout first gets a fresh
 * connection: the transport's connection to it is closed (at most once per timeout), and only then
 * is it suspected as before.
 *
 * <p>Over TCP, two members can end up with a connection only one of them uses. When a view installs
 * before a member has learned a newcomer's address, JGroups 5.5 drops the newcomer's connection
 * from its table without closing it; the member then opens new connections for every message to
 * the newcomer, and a newcomer with the higher address refuses them while it holds the old one. The
 * newcomer hears nothing from that member again, while the member hears the newcomer, and unless
 * the newcomer is next in line to coordinate, nobody acts on its suspicion: twenty members joining
 * at once stalled so for good in about one round in a hundred (docs/benchmarks.md, section 10).
 * Closing the connection from the newcomer's side ends it, whatever left it so: both ends drop it,
 * and the next message makes one connection both keep. For a member that really died, closing its
 * connection costs nothing.
 *
 * <p>Public with a no-argument constructor, because JGroups creates it from the stack
 * configuration; it carries FD_ALL3's protocol id, so its heartbeats are FD_ALL3's to every member.
 */
public final class ReconnectingFdAll3 extends FD_ALL3 {

    private final Map<Address, Long> lastResetNanos = new ConcurrentHashMap<>();
    private final AtomicLong resets = new AtomicLong();

    public ReconnectingFdAll3() {
        setId(ClassConfigurator.getProtocolId(FD_ALL3.class));
    }

    @Override
    protected void suspect(List<Address> suspects) {
        if (getTransport() instanceof ResettableTcpNio2 transport) {
            long now = System.nanoTime();
            long spacing = TimeUnit.MILLISECONDS.toNanos(timeout);
            for (Address suspect : suspects) {
                Long last = lastResetNanos.get(suspect);
                if (last == null || now - last >= spacing) {
                    lastResetNanos.put(suspect, now);
                    if (transport.resetConnection(suspect)) {
                        resets.incrementAndGet();
                    }
                }
            }
        }
        super.suspect(suspects);
    }

    /** How many connections to suspected members this member has closed. */
    long resets() {
        return resets.get();
    }

    @Override
    protected void handleViewChange(View view) {
        super.handleViewChange(view);
        lastResetNanos.keySet().retainAll(view.getMembers());
    }
}
