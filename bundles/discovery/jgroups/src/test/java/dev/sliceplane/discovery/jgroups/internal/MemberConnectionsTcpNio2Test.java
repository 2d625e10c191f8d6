package dev.sliceplane.discovery.jgroups.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Real channels of the product's stack on loopback. A view installed while this member did not yet
 * know a newcomer's address must not cost the newcomer this member's messages.
 */
class MemberConnectionsTcpNio2Test {

    private static final int BASE_PORT = 18544;

    private JChannel lower;
    private JChannel higher;

    @AfterEach
    void close() {
        if (higher != null) {
            higher.close();
        }
        if (lower != null) {
            lower.close();
        }
    }

    @Test
    void aViewThatMissesANewcomersAddressKeepsTheConnectionToIt() throws Exception {
        lower = channel(0, "conn-lower");
        BlockingQueue<String> heardByHigher = new LinkedBlockingQueue<>();
        higher = channel(1, "conn-higher");
        higher.receiver(new Receiver() {
            @Override
            public void receive(Message message) {
                heardByHigher.add(new String(message.getArray(), message.getOffset(), message.getLength(),
                        StandardCharsets.UTF_8));
            }
        });
        awaitViewOfTwo();
        lower.send(new BytesMessage(higher.address(), "before".getBytes(StandardCharsets.UTF_8)));
        assertEquals("before", heardByHigher.poll(10, TimeUnit.SECONDS), "the pair talks before the view");

        TCP_NIO2 transport = (TCP_NIO2) lower.getProtocolStack().getTransport();
        assertEquals(1, transport.getOpenConnections(), "one connection between the two: " + transport.printConnections());

        // What a view change does while the lower member has not learnt the newcomer's address yet:
        // keep the connections to the members whose addresses it knows, here none.
        transport.retainAll(List.of());

        assertEquals(1, transport.getOpenConnections(), "the connection to the member stays in the transport's table "
                + "(JGroups' own TCP_NIO2 leaves it open but drops it from the table): " + transport.printConnections());
        lower.send(new BytesMessage(higher.address(), "after".getBytes(StandardCharsets.UTF_8)));
        assertEquals("after", heardByHigher.poll(10, TimeUnit.SECONDS), "the higher member still hears the lower one");
    }

    @Test
    void aViewStillClosesTheConnectionToAPeerThatIsNoMember() throws Exception {
        lower = channel(0, "conn-lower");
        higher = channel(1, "conn-higher");
        awaitViewOfTwo();
        lower.send(new BytesMessage(higher.address(), "hello".getBytes(StandardCharsets.UTF_8)));
        higher.close(); // leaves the view; its connection is no member's any more
        higher = null;
        TCP_NIO2 transport = (TCP_NIO2) lower.getProtocolStack().getTransport();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (lower.view().size() > 1 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        transport.retainAll(List.of());
        assertEquals(0, transport.getOpenConnections(), "nothing kept for a peer outside the view: "
                + transport.printConnections());
    }

    @Test
    void speaksAsTcpNio2() {
        assertEquals(ClassConfigurator.getProtocolId(TCP_NIO2.class), new MemberConnectionsTcpNio2().getId(),
                "members running JGroups' own TCP_NIO2 read its headers");
    }

    private static JChannel channel(int index, String name) throws Exception {
        String seeds = "127.0.0.1[" + BASE_PORT + "],127.0.0.1[" + (BASE_PORT + 1) + "]";
        StackConfig stack = new StackConfig("127.0.0.1", BASE_PORT + index, 0, seeds, Duration.ofSeconds(3),
                Duration.ofMillis(1500), Duration.ofSeconds(1), Duration.ofSeconds(1));
        JChannel channel = new JChannel(stack.xml()).name(name);
        assertTrue(channel.getProtocolStack().getTransport() instanceof MemberConnectionsTcpNio2,
                "the product's stack runs this transport");
        channel.connect("member-connections-test");
        return channel;
    }

    private void awaitViewOfTwo() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (lower.view().size() < 2 || higher.view().size() < 2) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no view of two: " + lower.view() + " / " + higher.view());
            }
            Thread.sleep(50);
        }
    }
}
