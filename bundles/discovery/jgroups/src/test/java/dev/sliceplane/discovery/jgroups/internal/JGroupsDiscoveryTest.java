package dev.sliceplane.discovery.jgroups.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.reflect.Proxy;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;

import dev.sliceplane.discovery.api.DiscoveryListener;
import dev.sliceplane.discovery.api.NodeAdvert;
import dev.sliceplane.platform.api.health.HealthResult;
import dev.sliceplane.platform.api.health.HealthStatus;

/** The component as DS would make it, with real channels: its configuration, advert facts and health. */
class JGroupsDiscoveryTest {

    private static final int BASE_PORT = 18520;
    /** A group of this run's own: a run elsewhere on the same ports (another checkout) cannot join it. */
    private static final String CLUSTER = "disc-jgroups-component-test-" + java.util.UUID.randomUUID();

    private final TestAuthority authority = new TestAuthority("https://plc.test");
    private final List<TestSlice> slices = new ArrayList<>();
    private final List<JGroupsDiscovery> components = new ArrayList<>();

    @AfterEach
    void stop() {
        components.forEach(JGroupsDiscovery::deactivate);
        slices.forEach(TestSlice::close);
    }

    @Test
    void twoNodesFindEachOtherAndAdvertiseWhatTheyAreConfiguredWith() throws Exception {
        String seeds = "127.0.0.1[" + BASE_PORT + "],127.0.0.1[" + (BASE_PORT + 1) + "]";
        JGroupsDiscovery a = activate(authority.node("a.test"), Map.of("bindPort", BASE_PORT, "initialHosts", seeds,
                "location", "Princeton"), "8181");
        JGroupsDiscovery b = activate(authority.node("b.test"), Map.of("bindPort", BASE_PORT + 1, "initialHosts", seeds),
                "8282");
        a.nodeHealth = () -> HealthStatus.WARN;

        await("both see both", () -> a.nodes().size() == 2 && b.nodes().size() == 2);
        NodeAdvert aSeenByB = b.node("a.test").orElseThrow();
        assertEquals(URI.create("http://127.0.0.1:8181"), aSeenByB.url(), "the URL from the HTTP port");
        assertEquals(List.of("node"), aSeenByB.roles(), "a node with an authority URL is a node only");
        assertEquals("Princeton", aSeenByB.location());
        await("a's next advert carries its node's health", () -> b.node("a.test").orElseThrow().health().equals("WARN"));
        assertEquals("STARTING", a.node("b.test").orElseThrow().health(), "no node health yet: STARTING");
        assertEquals("jgroups", a.mechanism());
        assertEquals("a.test", a.self().orElseThrow().hostname());
        HealthResult health = a.health();
        assertEquals(HealthStatus.UP, health.status());
        assertTrue(health.message().contains("2 verified nodes"), health.message());

        List<String> joined = new CopyOnWriteArrayList<>();
        List<String> left = new CopyOnWriteArrayList<>();
        b.addListener(new DiscoveryListener() {
            @Override
            public void joined(NodeAdvert node) {
                joined.add(node.hostname());
            }

            @Override
            public void left(String hostname, boolean declaredDead) {
                left.add(hostname + (declaredDead ? " dead" : " left"));
            }
        });
        await("a listener added later is told of the nodes already there", () -> joined.size() == 2);
        a.deactivate();
        components.remove(a);
        await("b drops a and tells its listener", () -> b.node("a.test").isEmpty() && !left.isEmpty());
        assertEquals(List.of("a.test left"), left, "once, as a departure: a said goodbye");
    }

    @Test
    void aNodeThatCannotBindWarnsInItsHealth() throws Exception {
        String seeds = "127.0.0.1[" + (BASE_PORT + 2) + "]";
        JGroupsDiscovery first = activate(authority.node("a.test"), Map.of("bindPort", BASE_PORT + 2, "portRange", 0,
                "initialHosts", seeds), "8181");
        await("the first joins", () -> first.health().message().startsWith("in discovery group"));
        JGroupsDiscovery second = activate(authority.node("b.test"), Map.of("bindPort", BASE_PORT + 2, "portRange", 0,
                "initialHosts", seeds), "8282");

        await("the second, on the same port, says it could not join", () -> second.health().status() == HealthStatus.WARN);
        assertTrue(second.health().message().contains("could not join"), second.health().message());
        assertTrue(second.nodes().isEmpty());
    }

    @Test
    void aSwapsRankingChangeKeepsTheMembershipAndAnyOtherChangeRejoins() throws Exception {
        Map<String, Object> settings = Map.of("bindPort", BASE_PORT + 3, "initialHosts", "127.0.0.1[" + (BASE_PORT + 3) + "]");
        JGroupsDiscovery a = activate(authority.node("a.test"), settings, "8181");
        await("a joined and advertised", () -> a.self().isPresent() && a.nodes().size() == 1);
        NodeAdvert before = a.self().orElseThrow();

        a.modified(config(settings));
        assertTrue(a.health().message().startsWith("in discovery group"), "still in the group: " + a.health().message());
        assertEquals(before.hostname(), a.nodes().get(0).hostname(), "the view was kept");

        Map<String, Object> moved = new java.util.HashMap<>(settings);
        moved.put("location", "Berkeley");
        a.modified(config(moved));
        await("a rejoined with the new location", () -> a.self().map(n -> n.location().equals("Berkeley")).orElse(false)
                && a.nodes().size() == 1);
    }

    private JGroupsDiscovery activate(TestAuthority.TestNode node, Map<String, Object> settings, String httpPort) {
        TestSlice slice = new TestSlice();
        slices.add(slice);
        JGroupsDiscovery component = new JGroupsDiscovery(context(httpPort), node, authority, slice, config(settings));
        components.add(component);
        return component;
    }

    /** The configuration DS would pass: the defaults, with {@code settings} and this test's quick timings. */
    private static JGroupsDiscovery.Config config(Map<String, Object> settings) {
        Map<String, Object> quick = Map.of("cluster", CLUSTER, "portRange", 0,
                "joinTimeout", "PT1S", "mergeInterval", "PT1S", "advertSeconds", 1);
        return (JGroupsDiscovery.Config) Proxy.newProxyInstance(JGroupsDiscovery.Config.class.getClassLoader(),
                new Class<?>[] {JGroupsDiscovery.Config.class}, (proxy, method, args) -> {
                    String name = method.getName();
                    if (settings.containsKey(name)) {
                        return settings.get(name);
                    }
                    return quick.containsKey(name) ? quick.get(name) : method.getDefaultValue();
                });
    }

    /** A bundle context that only knows the HTTP port. */
    private static BundleContext context(String httpPort) {
        return (BundleContext) Proxy.newProxyInstance(BundleContext.class.getClassLoader(),
                new Class<?>[] {BundleContext.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getProperty" -> "sliceplane.http.port".equals(args[0]) ? httpPort : null;
                    case "getBundle" -> null;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(100);
        }
        fail("not within 40 s: " + what);
    }
}
