package dev.sliceplane.discovery.jgroups.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * SIMULATION: the product's stack ({@code discovery-tcp.xml}, filled in by {@link StackConfig})
 * with only the transport exchanged, so hundreds of members can share one JVM. TCP and TCPPING
 * become JGroups' in-JVM SHARED_LOOPBACK (as {@link SimulatedLoopback}, which delivers outside
 * SHARED_LOOPBACK's JVM-wide lock) and SHARED_LOOPBACK_PING (a thousand members over
 * loopback TCP would need a socket per pair of members); FD_SOCK2 goes, because it watches TCP
 * sockets of other processes and there are none. Everything above stays as the product has it:
 * MERGE3, FD_ALL3, VERIFY_SUSPECT2, NAKACK2, UNICAST3, STABLE, GMS, flow control, FRAG2. So a
 * member that stops answering is found by heartbeats (FD_ALL3) and checked (VERIFY_SUSPECT2), as
 * a hung node or a cut link is in production; a killed process's closed sockets are not simulated.
 * Optionally DISCARD drops a share of every member's incoming messages (simulated packet loss).
 */
final class SimulatedStack {

    private static final Pattern TCP = Pattern.compile("<[\\w.]*ResettableTcpNio2\\s[^>]*/>");
    private static final Pattern TCPPING = Pattern.compile("<TCPPING\\s[^>]*/>");
    private static final Pattern FD_SOCK2 = Pattern.compile("<[\\w.]*AddressLookupFdSock\\s[^>]*/>");
    private static final String SMALL_TABLES = "xmit_table_num_rows=\"4\" xmit_table_msgs_per_row=\"64\" "
            + "reuse_message_batches=\"false\" ";

    private SimulatedStack() {
    }

    /**
     * The product's stack on the in-JVM transport.
     *
     * @param loss         the share of messages each member drops on receipt (0: none)
     * @param stableGossip STABLE's gossip period instead of the product's (null: the product's)
     */
    static String sharedLoopback(StackConfig config, double loss, Duration stableGossip) {
        String xml = config.fill(template());
        SimulatedLoopback.register();
        // The transport's own thread pool and timer are replaced by ones all members share (SimulatedLoopback);
        // "submit" hands each message to that pool rather than keeping JGroups' per-sender queues, which hold
        // two 128-slot arrays for every pair of members (~2 GB at a thousand members in one heap).
        String transport = "<" + SimulatedLoopback.class.getName() + " stats=\"true\" diag.enabled=\"false\""
                + " bundler_type=\"no-bundler\" message_processing_policy=\"submit\"/>"
                + (loss > 0 ? "\n    <DISCARD up=\"" + loss + "\" excludeItself=\"true\"/>" : "");
        String shared = replaceOnce(replaceOnce(replaceOnce(xml, TCP, transport), TCPPING, "<SHARED_LOOPBACK_PING/>"),
                FD_SOCK2, "");
        if (stableGossip != null) {
            // Scale, labelled where used: each STABLE message costs O(N²) at N members (JGroups' Digest looks every
            // member up by a linear search), so a thousand members in one JVM pay N times what one node pays.
            // The byte threshold moves with the period: members then hold received multicasts for longer.
            long bytes = Math.max(1, stableGossip.toSeconds() / 20) << 20;
            shared = replaceOnce(shared, Pattern.compile("desired_avg_gossip=\"[^\"]*\""),
                    "desired_avg_gossip=\"" + stableGossip.toMillis() + "ms\"");
            shared = replaceOnce(shared, Pattern.compile("max_bytes=\"[^\"]*\""), "max_bytes=\"" + bytes + "\"");
        }
        // Memory only, not behaviour: the retransmission tables start small (they grow as needed), and the
        // batches NAKACK2 and UNICAST3 deliver are made per delivery instead of one kept per sender (NAKACK2
        // keeps a 2,048-slot array per sender). Each member keeps these per other member: N² in one heap,
        // ~8 GB of tables and ~8 GB of NAKACK2's batches at a thousand members, against a few MB on one node.
        return shared.replace("<pbcast.NAKACK2 ", "<pbcast.NAKACK2 " + SMALL_TABLES)
                .replace("<UNICAST3 ", "<UNICAST3 " + SMALL_TABLES);
    }

    /** The product's stack as it is (loopback TCP), with the transport's message statistics on. */
    static String tcp(StackConfig config) {
        return config.fill(template()).replaceFirst("<([\\w.]*ResettableTcpNio2)\\s", "<$1 stats=\"true\" ");
    }

    static InputStream stream(String xml) {
        return new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8));
    }

    private static String template() {
        try (InputStream in = StackConfig.class.getResourceAsStream(StackConfig.RESOURCE)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String replaceOnce(String xml, Pattern element, String replacement) {
        var m = element.matcher(xml);
        if (!m.find()) {
            throw new IllegalStateException("the product's stack has no " + element.pattern() + " any more");
        }
        return m.replaceFirst(java.util.regex.Matcher.quoteReplacement(replacement));
    }
}
