package dev.sliceplane.discovery.jgroups.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;

import org.jgroups.Address;
import org.jgroups.Event;
import org.jgroups.conf.ClassConfigurator;
import org.jgroups.protocols.FD_SOCK2;
import org.jgroups.protocols.TP;
import org.jgroups.stack.IpAddress;
import org.junit.jupiter.api.Test;

/**
 * Real channels of the product's stack on loopback: a member that has not learned its neighbour's
 * address looks it up instead of suspecting the neighbour.
 */
class AddressLookupFdSockTest {

    private static final int BASE_PORT = 18540;
    private static final int FD_SOCK_OFFSET = 50;

    @Test
    void anUnknownNeighbourIsLookedUpRatherThanTakenForUnreachable() throws Exception {
        try (LoopbackPair pair = LoopbackPair.join(BASE_PORT, "address-lookup-test")) {
            TP transport = pair.lower().getProtocolStack().getTransport();
            Address neighbour = pair.higher().address();
            // As for a newcomer of the same view before the coordinator has sent its address.
            transport.clearLogicalAddressCache();
            assertNull(transport.down(new Event(Event.GET_PHYSICAL_ADDRESS, neighbour)),
                    "the address is forgotten before the lookup");

            AddressLookupFdSock detector = pair.lower().getProtocolStack().findProtocol(AddressLookupFdSock.class);
            List<IpAddress> found = detector.getPhysicalAddresses(neighbour);

            assertNotNull(transport.down(new Event(Event.GET_PHYSICAL_ADDRESS, neighbour)),
                    "discovery put the neighbour's address back into the transport's cache");
            assertEquals(List.of(new IpAddress("127.0.0.1", BASE_PORT + 1 + FD_SOCK_OFFSET)), found,
                    "the neighbour's failure-detection port, not an empty list (which FD_SOCK2 reads as unreachable)");
        }
    }

    @Test
    void speaksAsFdSock2() {
        assertEquals(ClassConfigurator.getProtocolId(FD_SOCK2.class), new AddressLookupFdSock().getId(),
                "members running JGroups' own FD_SOCK2 understand its messages");
    }
}
