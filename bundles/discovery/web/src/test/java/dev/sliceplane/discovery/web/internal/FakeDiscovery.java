package dev.sliceplane.discovery.web.internal;

import java.net.URI;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import dev.sliceplane.discovery.api.Discovery;
import dev.sliceplane.discovery.api.DiscoveryCounters;
import dev.sliceplane.discovery.api.Liveness;
import dev.sliceplane.discovery.api.NodeAdvert;

/** A view set by the test: the stand-in for the implementations other engineers are building. */
final class FakeDiscovery implements Discovery {

    volatile String mechanism = "fake";
    volatile List<NodeAdvert> nodes = List.of();
    volatile String self;
    volatile DiscoveryCounters counters;

    FakeDiscovery(NodeAdvert... nodes) {
        this.nodes = List.of(nodes);
        this.self = nodes.length == 0 ? null : nodes[0].hostname();
    }

    @Override
    public String mechanism() {
        return mechanism;
    }

    @Override
    public List<NodeAdvert> nodes() {
        return nodes.stream().sorted(Comparator.comparing(NodeAdvert::hostname)).toList();
    }

    @Override
    public Optional<NodeAdvert> node(String hostname) {
        return nodes.stream().filter(n -> n.hostname().equals(hostname)).findFirst();
    }

    @Override
    public Optional<NodeAdvert> self() {
        return self == null ? Optional.empty() : node(self);
    }

    /** An advert: {@code cores} CPUs {@code busy} busy, {@code memGiB} GiB available of 16, advertised at {@code at}. */
    static NodeAdvert advert(String hostname, String site, String url, int cores, double busy, double memGiB,
            Instant at, Liveness liveness) {
        return new NodeAdvert(hostname, site, url == null ? null : URI.create(url), List.of("node"), "0.1.0", "",
                cores, busy, 0.5, 16L << 30, (long) (memGiB * (1L << 30)), 100L << 30, 50L << 30, 2, "UP", at, at,
                liveness);
    }

    @Override
    public Optional<DiscoveryCounters> counters() {
        return Optional.ofNullable(counters);
    }
}
