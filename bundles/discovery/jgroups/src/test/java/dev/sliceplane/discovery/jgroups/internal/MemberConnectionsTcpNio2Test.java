package dev.sliceplane.discovery.jgroups.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.jgroups.BytesMessage;
import org.jgroups.JChannel;
import org.jgroups.Message;
import org.jgroups.Receiver;
import org.jgroups.conf.ClassConfigurator;
import org.jgroups.protocols.TCP_NIO2;
import org.junit.jupiter.api.Test;

/**
 * Real channels of the product's stack on loopback. A view installed while this member did not yet
 * know a newcomer's address must not cost it the connection to the newcomer.
 */
class MemberConnectionsTcpNio2Test {

    private static final int BASE_PORT = 18544;

    @Test
    void aViewThatMissesANewcomersAddressKeepsTheConnectionToIt() throws Exception {
        try (LoopbackPair pair = LoopbackPair.join(BASE_PORT, "member-connections-test")) {
            BlockingQueue<String> heardByHigher = new LinkedBlockingQueue<>();
            pair.higher().receiver(new Receiver() {
                @Override
                public void receive(Message message) {
                    heardByHigher.add(new String(message.getArray(), message.getOffset(), message.getLength(),
                            StandardCharsets.UTF_8));
                }
            });
            send(pair.lower(), pair.higher(), "before");
            assertEquals("before", heardByHigher.poll(10, TimeUnit.SECONDS), "the pair talks before the view");
            TCP_NIO2 transport = transport(pair.lower());
            assertEquals(1, transport.getOpenConnections(), "one connection between the two: " + transport.printConnections());

            // What a view change does while the lower member has not learnt the newcomer's address yet:
            // keep the connections to the members whose addresses it knows, here none.
            transport.retainAll(List.of());

            assertEquals(1, transport.getOpenConnections(), "the connection to the member stays in the transport's "
                    + "table (JGroups' own TCP_NIO2 leaves it open but drops it from the table): " + transport.printConnections());
            send(pair.lower(), pair.higher(), "after");
            assertEquals("after", heardByHigher.poll(10, TimeUnit.SECONDS), "the higher member still hears the lower one");
        }
    }

    @Test
    void aViewStillClosesTheConnectionToAPeerThatIsNoMember() throws Exception {
        try (LoopbackPair pair = LoopbackPair.join(BASE_PORT, "member-connections-test")) {
            send(pair.lower(), pair.higher(), "hello");
            pair.higher().close(); // leaves the view; its connection is no member's any more
            pair.awaitViews(1);
            TCP_NIO2 transport = transport(pair.lower());
            transport.retainAll(List.of());
            assertEquals(0, transport.getOpenConnections(), "nothing kept for a peer outside the view: "
                    + transport.printConnections());
        }
    }

    @Test
    void speaksAsTcpNio2() {
        assertEquals(ClassConfigurator.getProtocolId(TCP_NIO2.class), new MemberConnectionsTcpNio2().getId(),
                "members running JGroups' own TCP_NIO2 read its headers");
    }

    private static TCP_NIO2 transport(JChannel channel) {
        return assertInstanceOf(MemberConnectionsTcpNio2.class, channel.getProtocolStack().getTransport(),
                "the product's stack runs this transport");
    }

    private static void send(JChannel from, JChannel to, String text) throws Exception {
        from.send(new BytesMessage(to.address(), text.getBytes(StandardCharsets.UTF_8)));
    }
}
