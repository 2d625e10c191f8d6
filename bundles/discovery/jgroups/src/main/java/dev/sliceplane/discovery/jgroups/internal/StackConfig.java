package dev.sliceplane.discovery.jgroups.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The settings of this node's JGroups stack and the stack XML they fill in. The bundle's
 * {@value #RESOURCE} names its values {@code ${discovery.<name>}}; they are replaced here, per
 * channel, rather than through system properties, which JGroups would share between every channel
 * of the process (tests run several).
 *
 * @param bindAddress  the address the transport binds to ({@code 127.0.0.1}, an address, or JGroups' {@code site_local})
 * @param bindPort     the first port the transport tries
 * @param portRange    further ports tried on bind, and probed on every initial host
 * @param initialHosts the seeds, JGroups' form: {@code host[port],host[port]}
 * @param failureTimeout how long without heartbeats before a member is suspected
 * @param verifyTimeout  how long a suspicion is checked before the member is excluded
 * @param joinTimeout    how long a joining member waits for a coordinator before it founds a group
 * @param mergeInterval  the shortest interval between partition checks (the longest is three times it)
 */
record StackConfig(String bindAddress, int bindPort, int portRange, String initialHosts, Duration failureTimeout,
                   Duration verifyTimeout, Duration joinTimeout, Duration mergeInterval) {

    static final String RESOURCE = "/jgroups/discovery-tcp.xml";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{discovery\\.([A-Za-z]+)}");
    /** FD_SOCK2 listens this far above the transport's port. */
    private static final int FD_SOCK_OFFSET = 50;

    StackConfig {
        if (bindPort < 1 || bindPort + portRange + FD_SOCK_OFFSET > 65535 || portRange < 0 || portRange >= FD_SOCK_OFFSET) {
            throw new IllegalArgumentException("bindPort must be 1.." + (65535 - FD_SOCK_OFFSET)
                    + " and portRange 0.." + (FD_SOCK_OFFSET - 1));
        }
        if (initialHosts.isBlank()) {
            throw new IllegalArgumentException("initialHosts must name at least this node, e.g. 127.0.0.1[7800]");
        }
    }

    /** The stack XML with this node's values, for {@code new JChannel(InputStream)}. */
    InputStream xml() {
        String template;
        try (InputStream in = StackConfig.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the bundle lacks " + RESOURCE);
            }
            template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ByteArrayInputStream(fill(template).getBytes(StandardCharsets.UTF_8));
    }

    String fill(String template) {
        Map<String, String> values = values();
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = values.get(m.group(1));
            if (value == null) {
                throw new IllegalStateException(RESOURCE + " names an unknown setting " + m.group());
            }
            m.appendReplacement(out, Matcher.quoteReplacement(xmlEscaped(value)));
        }
        m.appendTail(out);
        return out.toString();
    }

    private Map<String, String> values() {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("bindAddress", bindAddress);
        values.put("bindPort", Integer.toString(bindPort));
        values.put("portRange", Integer.toString(portRange));
        values.put("initialHosts", initialHosts);
        values.put("maxThreads", "20");
        values.put("mergeMinMillis", Long.toString(mergeInterval.toMillis()));
        values.put("mergeMaxMillis", Long.toString(mergeInterval.toMillis() * 3));
        values.put("fdSockOffset", Integer.toString(FD_SOCK_OFFSET));
        values.put("failureTimeoutMillis", Long.toString(failureTimeout.toMillis()));
        // FD_ALL3 suspects a member when none of the heartbeat intervals of one timeout brought a message
        // from it: six intervals, so a false suspicion at 10 % loss needs six losses in a row (1e-6), where
        // four (1e-4) raised one every few minutes among 20 members at a 4 s timeout.
        values.put("heartbeatMillis", Long.toString(Math.max(100, failureTimeout.toMillis() / 6)));
        values.put("verifyMillis", Long.toString(verifyTimeout.toMillis()));
        values.put("joinTimeoutMillis", Long.toString(joinTimeout.toMillis()));
        return values;
    }

    private static String xmlEscaped(String value) {
        return value.replace("&", "&amp;").replace("\"", "&quot;").replace("<", "&lt;");
    }
}
