package dev.sliceplane.discovery.jgroups.internal;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.jgroups.Address;
import org.jgroups.PhysicalAddress;
import org.jgroups.conf.ClassConfigurator;
import org.jgroups.protocols.TCP_NIO2;
import org.jgroups.stack.IpAddress;
import org.jgroups.util.Responses;

/**
 * JGroups' TCP_NIO2, with a way to reset the connection to one member: close it, so that the next
 * message either way opens a fresh one. {@link ReconnectingFdAll3} resets the connection to a member
 * it has stopped hearing. Its server is a {@link KeepingNioServer}, which keeps two kinds of
 * connection (and the messages on them) that JGroups' own closes while members join. A message
 * for a member whose physical address it does not know yet waits for the address
 * ({@link AwaitingAddress}) instead of being dropped.
 *
 * <p>Public with a no-argument constructor, because JGroups creates it from the stack
 * configuration; it carries TCP_NIO2's protocol id, so its messages are TCP_NIO2's to every member.
 */
public final class ResettableTcpNio2 extends TCP_NIO2 {

    /** Messages waiting for one member's address: a join's worth (its adverts, views and acknowledgements). */
    static final int WAITING_PER_MEMBER = 64;
    /** How long a message waits for its member's address; by then retransmission has resent it anyway. */
    static final long WAITING_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final AwaitingAddress awaitingAddress = new AwaitingAddress(WAITING_PER_MEMBER, WAITING_NANOS, System::nanoTime);

    public ResettableTcpNio2() {
        setId(ClassConfigurator.getProtocolId(TCP_NIO2.class));
    }

    /**
     * Starts as TCP_NIO2, then puts a {@link KeepingNioServer} on the port TCP_NIO2's server bound
     * (TCP_NIO2 offers no way to choose the server's class), configured as TCP_NIO2 configures its own.
     */
    @Override
    public void start() throws Exception {
        super.start();
        int port = ((IpAddress) server.localAddress()).getPort();
        server.start(); // not connected yet, so no member knows this port: starting and stopping
        server.stop();  // is JGroups' own way to close the server's selector and socket
        KeepingNioServer keeping = new KeepingNioServer(getThreadFactory(), getSocketFactory(), bind_addr, port,
                external_addr, external_port, recv_buf_size);
        keeping.receiver(this)
                .timeService(time_service)
                .socketConnectionTimeout(sock_conn_timeout)
                .tcpNodelay(tcp_nodelay).linger(linger)
                .clientBindAddress(client_bind_addr).clientBindPort(client_bind_port)
                .deferClientBinding(defer_client_bind_addr)
                .log(log).logDetails(log_details);
        keeping.maxSendBuffers(max_send_buffers).useDirectMemory(use_direct_memory).usePeerConnections(true);
        keeping.copyOnPartialWrite(copy_on_partial_write).readerIdleTime(reader_idle_time).addConnectionListener(this);
        if (send_buf_size > 0) {
            keeping.sendBufferSize(send_buf_size);
        }
        if (recv_buf_size > 0) {
            keeping.receiveBufferSize(recv_buf_size);
        }
        if (max_length > 0) {
            keeping.setMaxLength(max_length);
        }
        if (reaper_interval > 0 && conn_expire_time > 0) { // TCP_NIO2.start() filled in whichever was missing
            keeping.connExpireTimeout(conn_expire_time).reaperInterval(reaper_interval);
        }
        server = keeping;
    }

    @Override
    protected void sendTo(Address destination, byte[] buffer, int offset, int length) throws Exception {
        if (local_transport != null || destination instanceof PhysicalAddress
                || getPhysicalAddressFromCache(destination) != null) {
            super.sendTo(destination, buffer, offset, length);
            return;
        }
        await(destination, buffer, offset, length);
    }

    @Override
    protected void sendToAll(byte[] buffer, int offset, int length) throws Exception {
        if (local_transport == null) {
            for (Address member : members) {
                if (!(member instanceof PhysicalAddress) && getPhysicalAddressFromCache(member) == null) {
                    await(member, buffer, offset, length); // JGroups skips it below
                }
            }
        }
        super.sendToAll(buffer, offset, length);
    }

    /** Holds a message for {@code member} until its address is known, asking discovery for it when first held. */
    private void await(Address member, byte[] buffer, int offset, int length) {
        if (awaitingAddress.hold(member, buffer, offset, length)) {
            Responses asked = fetchResponsesFromDiscoveryProtocol(List.of(member));
            if (asked != null) {
                asked.done(); // the answers arrive on their own (addPhysicalAddressToCache)
            }
        }
        PhysicalAddress learnt = getPhysicalAddressFromCache(member); // learnt while holding: nobody else sends
        if (learnt != null) {
            sendWaiting(member, learnt);
        }
    }

    @Override
    protected boolean addPhysicalAddressToCache(Address member, PhysicalAddress physical, boolean overwrite) {
        boolean added = super.addPhysicalAddressToCache(member, physical, overwrite);
        if (member != null && physical != null) {
            sendWaiting(member, physical);
        }
        return added;
    }

    private void sendWaiting(Address member, PhysicalAddress physical) {
        for (byte[] message : awaitingAddress.release(member)) {
            try {
                sendUnicast(physical, message, 0, message.length);
            } catch (Exception e) {
                log.trace("%s: could not send a message that waited for %s's address: %s", local_addr, member, e);
            }
        }
    }

    @Override
    public void retainAll(Collection<Address> physicalMembers) {
        super.retainAll(physicalMembers); // on every view change
        awaitingAddress.forgetStale();
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
