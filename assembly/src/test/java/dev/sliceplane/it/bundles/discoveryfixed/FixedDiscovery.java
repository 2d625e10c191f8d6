package dev.sliceplane.it.bundles.discoveryfixed;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;

import dev.sliceplane.discovery.api.Discovery;
import dev.sliceplane.discovery.api.Liveness;
import dev.sliceplane.discovery.api.NodeAdvert;
import dev.sliceplane.platform.api.swap.SubServiceImplementation;

/** A third discovery implementation with a view of one made-up node, to swap to and from. */
@Component(service = Discovery.class)
@SubServiceImplementation(value = "discovery", api = "dev.sliceplane.discovery.api.Discovery")
public final class FixedDiscovery implements Discovery {

    private static final NodeAdvert NODE = new NodeAdvert("fixed.example.org", "example", URI.create("http://127.0.0.1:9"),
            List.of("node"), "1.0.0", "", 1, 0.0, 0.0, 1L << 30, 1L << 30, 1L << 30, 1L << 30, 0, "UP",
            Instant.EPOCH, Instant.EPOCH, Liveness.ALIVE);

    @Modified
    void modified(Map<String, Object> properties) {
        // A swap changes service.ranking in place; nothing else to do.
    }

    @Override
    public String mechanism() {
        return "fixed";
    }

    @Override
    public List<NodeAdvert> nodes() {
        return List.of(NODE);
    }

    @Override
    public Optional<NodeAdvert> node(String hostname) {
        return NODE.hostname().equals(hostname) ? Optional.of(NODE) : Optional.empty();
    }

    @Override
    public Optional<NodeAdvert> self() {
        return Optional.of(NODE);
    }
}
