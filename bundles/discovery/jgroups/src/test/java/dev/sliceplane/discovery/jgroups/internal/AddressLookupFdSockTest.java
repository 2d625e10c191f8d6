package dev.sliceplane.discovery.jgroups.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.util.List;

import org.jgroups.Address;
import org.jgroups.Event;
import org.jgroups.JChannel;
import org.jgroups.PhysicalAddress;
import org.jgroups.conf.ClassConfigurator;
import org.jgroups.protocols.FD_SOCK2;
import org.jgroups.protocols.TP;
import org.jgroups.stack.IpAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Real channels of the product's stack on loopback: a member that has not learned its neighbour's
 * address looks it up instead of suspecting the neighbour.
 */
class AddressLookupFdSockTest {

    private static final int BASE_PORT = 18540;
    private static final int FD_SOCK_OFFSET = 50;

    private JChannel first;
    private JChannel second;

    @AfterEach
    void close() {
        if (second != null) {
            second.close();
        }
        if (first != null) {
            first.close();
        }
    }

    @Test
    void anUnknownNeighbourIsLookedUpRatherThanTakenForUnreachable() throws Exception {
        first = channel(0, "lookup-a");
        second = channel(1, "lookup-b");
        awaitViewOfTwo();
        TP transport = first.getProtocolStack().getTransport();
        Address neighbour = second.address();
        // As for a newcomer of the same view before the coordinator has sent its address.
        transport.clearLogicalAddressCache();
        assertNull(transport.down(new Event(Event.GET_PHYSICAL_ADDRESS, neighbour)),
                "the address is forgotten before the lookup");

        AddressLookupFdSock detector = first.getProtocolStack().findProtocol(AddressLookupFdSock.class);
        List<IpAddress> found = detector.getPhysicalAddresses(neighbour);

        PhysicalAddress transportAddress = (PhysicalAddress) transport.down(new Event(Event.GET_PHYSICAL_ADDRESS, neighbour));
        assertNotNull(transportAddress, "discovery put the neighbour's address back into the transport's cache");
        assertEquals(List.of(new IpAddress("127.0.0.1", BASE_PORT + 1 + FD_SOCK_OFFSET)), found,
                "the neighbour's failure-detection port, not an empty list (which FD_SOCK2 reads as unreachable)");
    }

    @Test
    void speaksAsFdSock2() {
        assertEquals(ClassConfigurator.getProtocolId(FD_SOCK2.class), new AddressLookupFdSock().getId(),
                "members running JGroups' own FD_SOCK2 understand its messages");
    }

    private static JChannel channel(int index, String name) throws Exception {
        String seeds = "127.0.0.1[" + BASE_PORT + "],127.0.0.1[" + (BASE_PORT + 1) + "]";
        StackConfig stack = new StackConfig("127.0.0.1", BASE_PORT + index, 0, seeds, Duration.ofSeconds(3),
                Duration.ofMillis(1500), Duration.ofSeconds(1), Duration.ofSeconds(1));
        JChannel channel = new JChannel(stack.xml()).name(name);
        channel.connect("address-lookup-test");
        return channel;
    }

    private void awaitViewOfTwo() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (first.view().size() < 2 || second.view().size() < 2) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no view of two: " + first.view() + " / " + second.view());
            }
            Thread.sleep(50);
        }
    }
}
