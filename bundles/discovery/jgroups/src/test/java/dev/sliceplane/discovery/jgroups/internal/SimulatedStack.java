package dev.sliceplane.discovery.jgroups.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
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

    private static final Pattern TCP = Pattern.compile("<TCP\\s[^>]*/>");
    private static final Pattern TCPPING = Pattern.compile("<TCPPING\\s[^>]*/>");
    private static final Pattern FD_SOCK2 = Pattern.compile("<FD_SOCK2\\s[^>]*/>");
    private static final String SMALL_TABLES = "xmit_table_num_rows=\"4\" xmit_table_msgs_per_row=\"64\" ";

    private SimulatedStack() {
    }

    /**
     * The product's stack on the in-JVM transport.
     *
     * @param loss the share of messages each member drops on receipt (0: none)
     */
    static String sharedLoopback(StackConfig config, double loss) {
        String xml = config.fill(template());
        SimulatedLoopback.register();
        String transport = "<" + SimulatedLoopback.class.getName() + " stats=\"true\" diag.enabled=\"false\" thread_pool.min_threads=\"0\""
                + " thread_pool.max_threads=\"8\" thread_pool.keep_alive_time=\"10s\" thread_pool.increase_max_size_dynamically=\"false\""
                + " thread_pool.rejection_policy=\"run\" bundler_type=\"no-bundler\"/>"
                + (loss > 0 ? "\n    <DISCARD up=\"" + loss + "\" excludeItself=\"true\"/>" : "");
        String shared = replaceOnce(replaceOnce(replaceOnce(xml, TCP, transport), TCPPING, "<SHARED_LOOPBACK_PING/>"),
                FD_SOCK2, "");
        // Memory only, not behaviour: the retransmission tables start small (they grow as needed). Each
        // member keeps one per other member for NAKACK2 and for UNICAST3; at their default first row
        // (1,000 slots) a thousand members in one heap would hold N² of them, ~8 GB, before any message.
        return shared.replace("<pbcast.NAKACK2 ", "<pbcast.NAKACK2 " + SMALL_TABLES)
                .replace("<UNICAST3/>", "<UNICAST3 " + SMALL_TABLES + "/>");
    }

    /** The product's stack as it is (loopback TCP), with the transport's message statistics on. */
    static String tcp(StackConfig config) {
        return config.fill(template()).replaceFirst("<TCP\\s", "<TCP stats=\"true\" ");
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
