package dev.sliceplane.discovery.jgroups.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.jgroups.Address;
import org.jgroups.BytesMessage;
import org.jgroups.Message;
import org.jgroups.protocols.TP;
import org.jgroups.util.UUID;
import org.junit.jupiter.api.Test;

class AwaitingAddressTest {

    private static final int BASE_PORT = 18548;

    private final AtomicLong now = new AtomicLong();
    private final AwaitingAddress awaiting = new AwaitingAddress(3, 1_000, now::get);
    private final Address member = UUID.randomUUID();

    @Test
    void messagesWaitInOrderUntilReleasedOnce() {
        assertTrue(hold("a"), "the first message for a member asks for its address");
        assertFalse(hold("b"), "later ones do not ask again");
        assertEquals(List.of("a", "b"), texts(awaiting.release(member)));
        assertEquals(List.of(), texts(awaiting.release(member)), "released once");
        assertTrue(hold("c"), "after a release, the next message asks again");
    }

    @Test
    void atMostTheLimitWaitsForOneMemberTheOldestMakingWay() {
        for (String text : List.of("a", "b", "c", "d")) {
            hold(text);
        }
        assertEquals(List.of("b", "c", "d"), texts(awaiting.release(member)));
    }

    @Test
    void aMessageOlderThanTheAgeLimitIsDropped() {
        hold("old");
        now.addAndGet(600);
        hold("newer");
        now.addAndGet(600);
        assertEquals(List.of("newer"), texts(awaiting.release(member)), "'old' waited 1,200 ns of 1,000");

        hold("stale");
        now.addAndGet(1_001);
        assertTrue(hold("later"), "once all it held went stale, the member's address is asked for again");
        now.addAndGet(1_001);
        awaiting.forgetStale();
        assertEquals(0, awaiting.members(), "nothing fresh waits: the member is forgotten");
    }

    @Test
    void onlyTheMessageIsKeptNotTheBufferAroundIt() {
        byte[] buffer = "xxhelloyy".getBytes(StandardCharsets.UTF_8);
        awaiting.hold(member, buffer, 2, 5);
        buffer[2] = 'j'; // the sender reuses its buffer
        assertEquals(List.of("hello"), texts(awaiting.release(member)));
    }

    /**
     * Real channels of the product's stack: the lower member forgets the higher one's physical address,
     * then sends it a unicast and a multicast without reliability (so nothing above the transport would
     * resend them). JGroups' TCP_NIO2 drops both ("no physical address"); this transport holds them,
     * asks discovery for the address and sends them when the answer comes.
     */
    @Test
    void aMessageForAMemberWhoseAddressIsNotKnownYetIsSentOnceItIs() throws Exception {
        try (LoopbackPair pair = LoopbackPair.join(BASE_PORT, "awaiting-address-test")) {
            BlockingQueue<String> heardByHigher = LoopbackPair.heardBy(pair.higher());
            Address higher = pair.higher().address();
            TP transport = pair.lower().getProtocolStack().getTransport();
            transport.getLogicalAddressCache().remove(higher, true);
            assertNull(transport.getLogicalAddressCache().get(higher), "the lower member does not know where the higher is");

            pair.lower().send(new BytesMessage(null, bytes("to all")).setFlag(Message.Flag.NO_RELIABILITY));
            pair.lower().send(new BytesMessage(higher, bytes("to higher")).setFlag(Message.Flag.NO_RELIABILITY));

            Set<String> heard = new HashSet<>();
            for (int i = 0; i < 2; i++) {
                String text = heardByHigher.poll(10, TimeUnit.SECONDS);
                assertNotNull(text, "heard so far: " + heard);
                heard.add(text);
            }
            assertEquals(Set.of("to all", "to higher"), heard, "both held until the address came, then sent");
            assertNotNull(transport.getLogicalAddressCache().get(higher), "discovery found the address");
        }
    }

    private boolean hold(String text) {
        byte[] bytes = bytes(text);
        return awaiting.hold(member, bytes, 0, bytes.length);
    }

    private static List<String> texts(List<byte[]> messages) {
        return messages.stream().map(bytes -> new String(bytes, StandardCharsets.UTF_8)).toList();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
