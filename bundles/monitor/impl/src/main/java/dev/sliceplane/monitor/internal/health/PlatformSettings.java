package dev.sliceplane.monitor.internal.health;

import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.List;

import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Two settings of other components that the checks judge by, read from Configuration Admin (they
 * are not published otherwise): the VMM's sample period ({@code dev.sliceplane.vmm sampleSeconds},
 * default 5 s) and whether this process plays the node role ({@code dev.sliceplane.node roles},
 * default authority and node). Reads never create a configuration. Stateless.
 */
final class PlatformSettings {

    static final String VMM_PID = "dev.sliceplane.vmm";
    static final String NODE_PID = "dev.sliceplane.node";
    static final Duration DEFAULT_SAMPLE_PERIOD = Duration.ofSeconds(5);

    private PlatformSettings() {
    }

    /** The VMM's sample period; the default when there is no Configuration Admin or no setting. */
    static Duration samplePeriod(ConfigurationAdmin admin) {
        Object value = property(admin, VMM_PID, "sampleSeconds");
        double seconds = DEFAULT_SAMPLE_PERIOD.toMillis() / 1000.0;
        if (value instanceof Number n) {
            seconds = n.doubleValue();
        } else if (value != null) {
            try {
                seconds = Double.parseDouble(value.toString().trim());
            } catch (NumberFormatException e) {
                // the VMM falls back the same way
            }
        }
        // As the VMM bounds it: never below 100 ms.
        return Duration.ofMillis(Math.max(100, Math.round(seconds * 1000)));
    }

    /** Whether the roles name {@code node}; true when unknown (the all-in-one default plays it). */
    static boolean isNode(ConfigurationAdmin admin) {
        Object value = property(admin, NODE_PID, "roles");
        if (value == null) {
            return true;
        }
        List<String> roles = value instanceof String[] array ? Arrays.asList(array)
                : value instanceof java.util.Collection<?> c ? c.stream().map(String::valueOf).toList()
                : Arrays.asList(value.toString().split(","));
        return roles.stream().anyMatch(role -> role.trim().equals("node"));
    }

    private static Object property(ConfigurationAdmin admin, String pid, String key) {
        if (admin == null) {
            return null;
        }
        try {
            Configuration[] found = admin.listConfigurations("(service.pid=" + pid + ")");
            if (found == null || found.length == 0) {
                return null;
            }
            Dictionary<String, Object> properties = found[0].getProperties();
            return properties == null ? null : properties.get(key);
        } catch (IOException | InvalidSyntaxException | IllegalStateException e) {
            return null; // Configuration Admin stopping: judge by the defaults this once
        }
    }
}
