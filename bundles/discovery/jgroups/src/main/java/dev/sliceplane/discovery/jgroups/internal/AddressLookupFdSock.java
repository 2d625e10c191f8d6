package dev.sliceplane.discovery.jgroups.internal;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.jgroups.Address;
import org.jgroups.conf.ClassConfigurator;
import org.jgroups.protocols.Discovery;
import org.jgroups.protocols.FD_SOCK2;
import org.jgroups.stack.IpAddress;
import org.jgroups.util.Responses;

/**
 * JGroups' FD_SOCK2, except that a neighbour whose address this member has not learned yet is
 * looked up through discovery before it is suspected.
 *
 * <p>FD_SOCK2 connects to its neighbour in the view as soon as the view installs. A member that
 * joined in the same view as its neighbour often does not know the neighbour's physical address
 * yet (the coordinator sends the addresses of a view's newcomers after installing it), and
 * FD_SOCK2 takes an unknown address for an unreachable member: it suspected one neighbour after
 * another, and the coordinator then excluded those newcomers that did not answer its checks in
 * time — still finishing their own join on a busy machine. Twenty members joining at once over
 * loopback on a loaded two-CPU machine split so in about one round in forty, and stayed split
 * until a merge 25–45 s later (docs/benchmarks.md, section 10). The lookup asks the discovery
 * protocol for that one member and waits a moment for the transport to learn its address, as
 * FD_SOCK2 itself waits for a connection; a member nobody knows is still suspected.
 *
 * <p>Public with a no-argument constructor, because JGroups creates it from the stack
 * configuration; it carries FD_SOCK2's protocol id, so its messages are FD_SOCK2's to every
 * member, whichever of the two it runs.
 */
public final class AddressLookupFdSock extends FD_SOCK2 {

    /** How long to wait for discovery to name an unknown neighbour's address. */
    static final long LOOKUP_MILLIS = 500;
    private static final long POLL_MILLIS = 5;

    public AddressLookupFdSock() {
        setId(ClassConfigurator.getProtocolId(FD_SOCK2.class));
    }

    @Override
    protected List<IpAddress> getPhysicalAddresses(Address member) {
        List<IpAddress> known = super.getPhysicalAddresses(member);
        if (!known.isEmpty()) {
            return known;
        }
        Discovery discovery = getProtocolStack().findProtocol(Discovery.class);
        if (discovery == null) {
            return known;
        }
        // Every seed answers with the members it knows, into the transport's address cache, and the
        // first answer need not name this one: the cache is watched, not the first response.
        Responses responses = discovery.findMembers(List.of(member), false, true, 0);
        List<IpAddress> found = known;
        try {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LOOKUP_MILLIS);
            while (found.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(POLL_MILLIS);
                found = super.getPhysicalAddresses(member);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            responses.done();
        }
        log.debug("%s: looked up the address of %s before connecting to it: %s", local_addr, member,
                found.isEmpty() ? "not found" : found);
        return found;
    }
}
