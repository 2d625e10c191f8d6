package dev.sliceplane.discovery.jgroups.internal;

import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

import org.jgroups.Address;
import org.jgroups.PhysicalAddress;
import org.jgroups.conf.ClassConfigurator;
import org.jgroups.protocols.TCP_NIO2;

/**
 * JGroups' TCP_NIO2, except that a view change never drops a live connection to a member from the
 * transport's table.
 *
 * <p>On every view the transport keeps only the connections to the view's members, named by the
 * physical addresses it knows at that moment. A newcomer's address is often not known yet then (it
 * arrives from the coordinator after the view), so its connection fell out of the table; JGroups
 * 5.5.7 then sees that the connection's peer is a member after all and leaves it open rather than
 * closing it, but out of the table. The newcomer keeps that connection and is heard over it, while
 * this member, finding none in its table, opens new ones, which a newcomer with the higher address
 * refuses while it holds one. In each of the five rounds of twenty members that stalled for good
 * (one in a hundred to a few in a thousand, over either transport), one member never got another's
 * messages; in all five the silent sender had the lower address, and in both caught with the
 * tables printed the sender's table had no connection to the receiver while the receiver's had one
 * to the sender (docs/benchmarks.md, section 10). Here the connections whose peers are members stay
 * in the table.
 *
 * <p>Public with a no-argument constructor, because JGroups creates it from the stack
 * configuration; it carries TCP_NIO2's protocol id, so its messages are TCP_NIO2's to every member.
 */
public final class MemberConnectionsTcpNio2 extends TCP_NIO2 {

    public MemberConnectionsTcpNio2() {
        setId(ClassConfigurator.getProtocolId(TCP_NIO2.class));
    }

    @Override
    public void retainAll(Collection<Address> members) {
        Set<Address> keep = new HashSet<>(members);
        server.forAllConnections((peer, connection) -> {
            if (is_member.test((PhysicalAddress) peer)) {
                keep.add(peer);
            }
        });
        super.retainAll(keep);
    }
}
