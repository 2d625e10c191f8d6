package dev.sliceplane.discovery.jgroups.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.jgroups.Address;
import org.jgroups.conf.ClassConfigurator;
import org.jgroups.protocols.SHARED_LOOPBACK;

/**
 * SIMULATION: JGroups' in-JVM transport, SHARED_LOOPBACK, without its one lock around delivery.
 * SHARED_LOOPBACK hands a message to every member while it holds a lock shared by every channel
 * of the JVM, so with hundreds of members all their traffic (heartbeats, merge probes, adverts)
 * runs one message at a time. This transport takes the lock only to look the receivers up and
 * delivers after releasing it. Each receiver reads the bytes before {@code receive} returns, as
 * SHARED_LOOPBACK relies on too. Discovery (SHARED_LOOPBACK_PING) is unchanged.
 */
public class SimulatedLoopback extends SHARED_LOOPBACK {

    /** JGroups numbers each protocol class (its headers name it by number); ours is outside JGroups' own range. */
    static final short ID = 1792;

    static {
        if (ClassConfigurator.getProtocolId(SimulatedLoopback.class) == 0) {
            ClassConfigurator.addProtocol(ID, SimulatedLoopback.class);
        }
    }

    /** Makes sure the class, and so its protocol number, is registered before a stack names it. */
    static void register() {
        // the static initializer did it
    }

    @Override
    public void sendToAll(byte[] data, int offset, int length) throws Exception {
        List<SHARED_LOOPBACK> receivers;
        synchronized (routing_table) {
            Map<Address, SHARED_LOOPBACK> members = routing_table.get(cluster_name);
            if (members == null) {
                return;
            }
            receivers = new ArrayList<>(members.size());
            for (Map.Entry<Address, SHARED_LOOPBACK> member : members.entrySet()) {
                if (!Objects.equals(local_addr, member.getKey())) {
                    receivers.add(member.getValue());
                }
            }
        }
        for (SHARED_LOOPBACK receiver : receivers) {
            try {
                receiver.receive(local_addr, data, offset, length);
            } catch (Throwable t) {
                log.error("%s: delivering to %s failed", local_addr, receiver.getAddress(), t);
            }
        }
    }

    @Override
    protected void sendTo(Address destination, byte[] data, int offset, int length) throws Exception {
        SHARED_LOOPBACK receiver;
        synchronized (routing_table) {
            Map<Address, SHARED_LOOPBACK> members = routing_table.get(cluster_name);
            receiver = members == null ? null : members.get(destination);
        }
        if (receiver != null) {
            receiver.receive(local_addr, data, offset, length);
        }
    }
}
