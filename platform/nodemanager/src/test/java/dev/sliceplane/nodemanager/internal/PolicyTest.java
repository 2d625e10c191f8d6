package dev.sliceplane.nodemanager.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Reader;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.sliceplane.platform.api.acquisition.Resources;

/** The local policy read from configuration: defaults, lists, caps, and bad values that keep their default. */
class PolicyTest {

    static final Path SHIPPED = Path.of("../../assembly/src/main/dist/etc/dev.sliceplane.nodemanager.policy.cfg");

    @Test
    void theDefaultsAreTheContracts() {
        List<String> complaints = new ArrayList<>();
        Policy policy = Policy.of(config(Map.of()), complaints::add);
        assertEquals(Policy.DEFAULTS, policy);
        assertEquals(0.1, policy.reservedShare());
        assertEquals(1.0, policy.oversubscription());
        assertEquals(Duration.ofDays(1), policy.maxLeaseTerm());
        assertEquals(Duration.ofMinutes(10), policy.warnBefore());
        assertEquals(Duration.ofSeconds(10), policy.reclaimInterval());
        assertEquals(Resources.NONE, policy.perSlice());
        assertTrue(complaints.isEmpty());
    }

    @Test
    void theShippedFileHoldsTheDefaults() throws Exception {
        Properties file = new Properties();
        try (Reader reader = Files.newBufferedReader(SHIPPED)) {
            file.load(reader);
        }
        Map<String, Object> values = new HashMap<>();
        for (String key : file.stringPropertyNames()) {
            values.put(key, file.getProperty(key));
        }
        List<String> complaints = new ArrayList<>();
        assertEquals(Policy.DEFAULTS, Policy.of(config(values), complaints::add));
        assertTrue(complaints.isEmpty(), complaints.toString());
        // Every attribute of the configuration is in the file, so operators see all of them.
        for (var method : PolicyConfig.class.getDeclaredMethods()) {
            assertTrue(file.containsKey(method.getName()), method.getName() + " is missing from " + SHIPPED);
        }
    }

    @Test
    void listsMayBeCommaSeparatedInOneValue() {
        Policy policy = Policy.of(config(Map.of("deniedSites", "mit, cmu ,", "allowedSlices",
                new String[] {"princeton_codeen", "mit_tor,mit_chord"})), c -> { });
        assertEquals(Set.of("mit", "cmu"), policy.deniedSites());
        assertEquals(Set.of("princeton_codeen", "mit_tor", "mit_chord"), policy.allowedSlices());
        assertEquals(Set.of(), policy.allowedSites());
    }

    @Test
    void badValuesKeepTheirDefaultAndAreReported() {
        List<String> complaints = new ArrayList<>();
        Policy policy = Policy.of(config(Map.of("maxLeaseTerm", "one day", "warnBefore", "-PT5M",
                "reservedShare", "1.5", "oversubscription", "0.5", "perSliceCpu", "-1")), complaints::add);
        assertEquals(Policy.DEFAULTS, policy);
        assertEquals(5, complaints.size(), complaints.toString());
        for (String key : List.of("maxLeaseTerm", "warnBefore", "reservedShare", "oversubscription", "perSliceCpu")) {
            assertTrue(complaints.stream().anyMatch(c -> c.startsWith(key)), key + " not reported: " + complaints);
        }
    }

    @Test
    void capsAndTermsAreRead() {
        Policy policy = Policy.of(config(Map.of("perSliceCpu", "0.5", "perSliceMemory", String.valueOf(1L << 30),
                "perSliceProcesses", "100", "perSliceDisk", "0", "oversubscription", "1.5", "maxLeaseTerm", "PT6H")), c -> { });
        assertEquals(new Resources(0.5, 1L << 30, 100, 0), policy.perSlice());
        assertEquals(1.5, policy.oversubscription());
        assertEquals(Duration.ofHours(6), policy.maxLeaseTerm());
        assertEquals(List.of("policy.perSliceCpu"), policy.capsExceeded(new Resources(0.75, 1, 1, 1L << 40), "n")
                .stream().map(r -> r.rule()).toList(), "disk 0 is no cap");
    }

    /**
     * A configuration as DS makes it from Configuration Admin properties: strings converted to the
     * attribute's type, a missing key giving the annotation's default.
     */
    static PolicyConfig config(Map<String, Object> values) {
        return (PolicyConfig) Proxy.newProxyInstance(PolicyConfig.class.getClassLoader(), new Class<?>[] {PolicyConfig.class},
                (proxy, method, args) -> {
                    Object value = values.get(method.getName());
                    if (value == null) {
                        return method.getDefaultValue();
                    }
                    Class<?> type = method.getReturnType();
                    if (type == String[].class) {
                        return value instanceof String[] array ? array : new String[] {value.toString()};
                    }
                    String text = value.toString().strip();
                    if (type == double.class) {
                        return Double.parseDouble(text);
                    }
                    if (type == long.class) {
                        return Long.parseLong(text);
                    }
                    if (type == int.class) {
                        return Integer.parseInt(text);
                    }
                    return text;
                });
    }
}
