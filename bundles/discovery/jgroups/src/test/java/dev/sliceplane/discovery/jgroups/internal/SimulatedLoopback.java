package dev.sliceplane.discovery.jgroups.internal;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

import org.jgroups.Address;
import org.jgroups.Event;
import org.jgroups.conf.ClassConfigurator;
import org.jgroups.protocols.SHARED_LOOPBACK;
import org.jgroups.util.AsciiString;

/**
 * SIMULATION: JGroups' in-JVM transport, SHARED_LOOPBACK, without its one lock on every send.
 * SHARED_LOOPBACK looks receivers up, and hands a message to every member, while it holds a lock
 * shared by every channel of the JVM; with hundreds of members all their traffic (heartbeats,
 * merge probes, adverts) queued on that lock until the simulation stalled. This transport keeps
 * its own concurrent copy of each group's members, updated when a member connects or leaves
 * (SHARED_LOOPBACK's table still serves its discovery, SHARED_LOOPBACK_PING), and sends without
 * any lock. Each receiver reads the bytes before {@code receive} returns, as SHARED_LOOPBACK relies
 * on too.
 */
public class SimulatedLoopback extends SHARED_LOOPBACK {

    /** JGroups numbers each protocol class (its headers name it by number); ours is outside JGroups' own range. */
    static final short ID = 1792;

    private static final Map<AsciiString, Map<Address, SimulatedLoopback>> GROUPS = new ConcurrentHashMap<>();

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
    public Object down(Event event) {
        Object result = super.down(event);
        int type = event.getType();
        if (type == Event.CONNECT || type == Event.CONNECT_WITH_STATE_TRANSFER) {
            GROUPS.computeIfAbsent(cluster_name, name -> new ConcurrentHashMap<>()).put(local_addr, this);
        } else if (type == Event.DISCONNECT) {
            leave();
        }
        return result;
    }

    @Override
    public void stop() {
        leave();
        super.stop();
    }

    private void leave() {
        Map<Address, SimulatedLoopback> members = cluster_name == null ? null : GROUPS.get(cluster_name);
        if (members != null && local_addr != null) {
            members.remove(local_addr, this);
        }
    }

    @Override
    public void sendToAll(byte[] data, int offset, int length) throws Exception {
        Map<Address, SimulatedLoopback> members = GROUPS.get(cluster_name);
        if (members == null) {
            return;
        }
        for (Map.Entry<Address, SimulatedLoopback> member : members.entrySet()) {
            if (!Objects.equals(local_addr, member.getKey())) {
                try {
                    member.getValue().receive(local_addr, data, offset, length);
                } catch (Throwable t) {
                    log.error("%s: delivering to %s failed", local_addr, member.getKey(), t);
                }
            }
        }
    }

    @Override
    protected void sendTo(Address destination, byte[] data, int offset, int length) throws Exception {
        Map<Address, SimulatedLoopback> members = GROUPS.get(cluster_name);
        SimulatedLoopback receiver = members == null ? null : members.get(destination);
        if (receiver != null) {
            receiver.receive(local_addr, data, offset, length);
        }
    }
}
