package dev.sliceplane.discovery.jgroups.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import org.jgroups.BytesMessage;
import org.jgroups.JChannel;
import org.jgroups.conf.ClassConfigurator;
import org.jgroups.protocols.FD_ALL3;
import org.jgroups.protocols.TCP_NIO2;
import org.junit.jupiter.api.Test;

/**
 * Real channels of the product's stack on loopback (failure timeout 3 s), put into the state that
 * stalled rounds of twenty members for good: the lower member's transport has dropped its only
 * connection to the higher one from its table without closing it, as JGroups 5.5 does on a view
 * installed before the member knew the other's address. Each message from the lower member then
 * opens a connection the higher one refuses, because it holds the old one. With JGroups' own FD_ALL3
 * and server the higher member never hears the lower one again (with two members, it excludes it
 * instead). Two parts of the product's stack now repair it: the higher member's
 * {@link KeepingNioServer} reads the refused connection, and {@link ReconnectingFdAll3} resets the
 * connection to a member not heard for the failure timeout (a repair kept for a link broken some
 * other way; {@link #aSuspectedMemberGetsAFreshConnectionAtMostOncePerTimeout} tests it on its own).
 */
class ReconnectingFdAll3Test {

    private static final int BASE_PORT = 18544;

    @Test
    void aMemberDeafToAnotherHearsItAgain() throws Exception {
        try (LoopbackPair pair = LoopbackPair.join(BASE_PORT, "reconnecting-fd-test")) {
            BlockingQueue<String> heardByHigher = LoopbackPair.heardBy(pair.higher());
            pair.lower().send(new BytesMessage(pair.higher().address(), bytes("before")));
            assertEquals("before", heardByHigher.poll(10, TimeUnit.SECONDS), "the pair talks to begin with");

            TCP_NIO2 lowerTransport = transport(pair.lower());
            lowerTransport.retainAll(List.of());
            assertEquals(0, lowerTransport.getOpenConnections(), "the lower member's table is empty");
            assertEquals(1, transport(pair.higher()).getOpenConnections(), "the higher member keeps its connection");

            pair.lower().send(new BytesMessage(null, bytes("to all")));
            pair.lower().send(new BytesMessage(pair.higher().address(), bytes("to higher")));

            // A lost multicast is found missing when a later one arrives, as the product's next advert.
            Set<String> heard = new HashSet<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (!heard.containsAll(Set.of("to all", "to higher")) && System.nanoTime() < deadline) {
                pair.lower().send(new BytesMessage(null, bytes("later")));
                String text = heardByHigher.poll(250, TimeUnit.MILLISECONDS);
                if (text != null) {
                    heard.add(text);
                }
            }
            assertTrue(heard.containsAll(Set.of("to all", "to higher")),
                    "the higher member hears the lower one again: " + heard);
            assertEquals(2, pair.higher().view().size(), "and keeps it in its view: " + pair.higher().view());
            assertEquals(2, pair.lower().view().size(), "as the lower one keeps the higher: " + pair.lower().view());
        }
    }

    @Test
    void resettingClosesTheConnectionAndTheNextMessageOpensOne() throws Exception {
        try (LoopbackPair pair = LoopbackPair.join(BASE_PORT, "reconnecting-fd-test")) {
            BlockingQueue<String> heardByLower = LoopbackPair.heardBy(pair.lower());
            ResettableTcpNio2 transport = transport(pair.higher());
            pair.higher().send(new BytesMessage(pair.lower().address(), bytes("hello")));
            assertEquals("hello", heardByLower.poll(10, TimeUnit.SECONDS));

            assertTrue(transport.resetConnection(pair.lower().address()), "there was a connection to reset");
            assertEquals(0, transport.getOpenConnections(), transport.printConnections());
            assertFalse(transport.resetConnection(pair.lower().address()), "nothing left to reset");

            pair.higher().send(new BytesMessage(pair.lower().address(), bytes("again")));
            assertEquals("again", heardByLower.poll(10, TimeUnit.SECONDS), "a fresh connection carries the next message");
            assertEquals(1, transport.getOpenConnections(), transport.printConnections());
        }
    }

    @Test
    void aSuspectedMemberGetsAFreshConnectionAtMostOncePerTimeout() throws Exception {
        try (LoopbackPair pair = LoopbackPair.join(BASE_PORT, "reconnecting-fd-test")) {
            BlockingQueue<String> heardByHigher = LoopbackPair.heardBy(pair.higher());
            pair.lower().send(new BytesMessage(pair.higher().address(), bytes("before")));
            assertEquals("before", heardByHigher.poll(10, TimeUnit.SECONDS), "the pair talks to begin with");
            ReconnectingFdAll3 failureDetection = pair.lower().getProtocolStack().findProtocol(ReconnectingFdAll3.class);

            failureDetection.suspect(List.of(pair.higher().address()));
            assertEquals(1, failureDetection.resets(), "the suspect's connection was closed before the suspicion");
            failureDetection.suspect(List.of(pair.higher().address()));
            assertEquals(1, failureDetection.resets(), "not again within the failure timeout (3 s)");

            pair.lower().send(new BytesMessage(pair.higher().address(), bytes("after")));
            assertEquals("after", heardByHigher.poll(10, TimeUnit.SECONDS), "a fresh connection carries the next message");
        }
    }

    @Test
    void speaksAsJGroupsOwnProtocols() {
        assertEquals(ClassConfigurator.getProtocolId(FD_ALL3.class), new ReconnectingFdAll3().getId(),
                "members running JGroups' own FD_ALL3 read its heartbeats");
        assertEquals(ClassConfigurator.getProtocolId(TCP_NIO2.class), new ResettableTcpNio2().getId(),
                "and JGroups' own TCP_NIO2 its messages");
    }

    private static ResettableTcpNio2 transport(JChannel channel) {
        return assertInstanceOf(ResettableTcpNio2.class, channel.getProtocolStack().getTransport(),
                "the product's stack runs this transport");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
