package dev.sliceplane.discovery.jgroups.internal;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

import org.jgroups.JChannel;
import org.jgroups.Message;
import org.jgroups.Receiver;

/**
 * Two channels of the product's stack on loopback, the first on {@code basePort} (the lower
 * address) and the second on the port above, joined in one group: for tests of single protocols
 * of the stack. Closing closes both.
 */
final class LoopbackPair implements AutoCloseable {

    private final JChannel lower;
    private final JChannel higher;

    private LoopbackPair(JChannel lower, JChannel higher) {
        this.lower = lower;
        this.higher = higher;
    }

    /** Starts both and waits until each sees a view of two. */
    static LoopbackPair join(int basePort, String cluster) throws Exception {
        JChannel lower = channel(basePort, 0, cluster);
        JChannel higher;
        try {
            higher = channel(basePort, 1, cluster);
        } catch (Exception e) {
            lower.close();
            throw e;
        }
        LoopbackPair pair = new LoopbackPair(lower, higher);
        try {
            pair.awaitViewOfTwo();
        } catch (AssertionError | InterruptedException e) {
            pair.close();
            throw e;
        }
        return pair;
    }

    JChannel lower() {
        return lower;
    }

    JChannel higher() {
        return higher;
    }

    private void awaitViewOfTwo() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!(viewOfTwo(lower) && viewOfTwo(higher))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no view of two: " + lower.view() + " / " + higher.view());
            }
            Thread.sleep(50);
        }
    }

    @Override
    public void close() {
        higher.close();
        lower.close();
    }

    /** What {@code channel} receives from now on, as text. */
    static BlockingQueue<String> heardBy(JChannel channel) {
        BlockingQueue<String> heard = new LinkedBlockingQueue<>();
        channel.receiver(new Receiver() {
            @Override
            public void receive(Message message) {
                heard.add(new String(message.getArray(), message.getOffset(), message.getLength(),
                        StandardCharsets.UTF_8));
            }
        });
        return heard;
    }

    private static boolean viewOfTwo(JChannel channel) {
        return channel.view() != null && channel.view().size() == 2;
    }

    private static JChannel channel(int basePort, int index, String cluster) throws Exception {
        String seeds = "127.0.0.1[" + basePort + "],127.0.0.1[" + (basePort + 1) + "]";
        StackConfig stack = new StackConfig("127.0.0.1", basePort + index, 0, seeds, Duration.ofSeconds(3),
                Duration.ofMillis(1500), Duration.ofSeconds(1), Duration.ofSeconds(1));
        JChannel channel = new JChannel(stack.xml()).name(cluster + "-" + index);
        try {
            channel.connect(cluster);
        } catch (Exception e) {
            channel.close();
            throw e;
        }
        return channel;
    }
}
