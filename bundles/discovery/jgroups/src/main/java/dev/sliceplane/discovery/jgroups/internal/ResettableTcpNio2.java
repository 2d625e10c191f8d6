package dev.sliceplane.discovery.jgroups.internal;

import org.jgroups.Address;
import org.jgroups.PhysicalAddress;
import org.jgroups.conf.ClassConfigurator;
import org.jgroups.protocols.TCP_NIO2;

/**
 * JGroups' TCP_NIO2, with a way to reset the connection to one member: close it, so that the next
 * message either way opens a fresh one. {@link ReconnectingFdAll3} resets the connection to a member
 * it has stopped hearing.
 *
 * <p>Public with a no-argument constructor, because JGroups creates it from the stack
 * configuration; it carries TCP_NIO2's protocol id, so its messages are TCP_NIO2's to every member.
 */
public final class ResettableTcpNio2 extends TCP_NIO2 {

    public ResettableTcpNio2() {
        setId(ClassConfigurator.getProtocolId(TCP_NIO2.class));
    }

    /**
     * Closes this member's connection to {@code member}, if it has one.
     *
     * @return whether there was a connection to close
     */
    public boolean resetConnection(Address member) {
        PhysicalAddress physical = getPhysicalAddressFromCache(member);
        boolean reset = physical != null && server != null && server.closeConnection(physical);
        if (reset) {
            log.debug("%s: closed the connection to %s (%s)", local_addr, member, physical);
        }
        return reset;
    }
}
