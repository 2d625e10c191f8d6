package dev.sliceplane.discovery.jgroups.internal;

import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import dev.sliceplane.monitor.api.Monitor;
import dev.sliceplane.monitor.api.NodeFigures;
import dev.sliceplane.platform.api.health.HealthStatus;

/**
 * What this node advertises now: its fixed facts (URL, roles, version, location), the monitor's
 * latest figures when a monitor runs and has sampled (else the figures are unknown, and cores are
 * the JVM's), and its health as {@code /api/v1/health} reports it. Thread-safe.
 */
final class AdvertSource {

    /** This node's facts that do not change while the component runs. */
    record Facts(URI url, List<String> roles, String version, String location) {
    }

    private final Facts facts;
    private final Supplier<Monitor> monitor;
    private final Supplier<HealthStatus> health;

    /** @param health the node's aggregate health now */
    AdvertSource(Facts facts, Supplier<Monitor> monitor, Supplier<HealthStatus> health) {
        this.facts = facts;
        this.monitor = monitor;
        this.health = health;
    }

    CompletableFuture<AdvertContent> current() {
        return CompletableFuture.completedFuture(content(health.get().name()));
    }

    AdvertContent content(String health) {
        Optional<NodeFigures> figures = measured();
        if (figures.isEmpty()) {
            return new AdvertContent(facts.url(), facts.roles(), facts.version(), facts.location(),
                    Runtime.getRuntime().availableProcessors(), null, null, 0, null, 0, null, 0, health);
        }
        NodeFigures f = figures.get();
        return new AdvertContent(facts.url(), facts.roles(), facts.version(), facts.location(), f.cores(), f.cpuBusy(),
                f.load1(), f.memTotalBytes(), f.memAvailableBytes(), f.diskSizeBytes(), f.diskAvailBytes(), f.slivers(),
                health);
    }

    private Optional<NodeFigures> measured() {
        Monitor current = monitor.get();
        try {
            return current == null ? Optional.empty() : current.node();
        } catch (RuntimeException e) {
            return Optional.empty(); // a monitor being swapped out: advertise without figures this once
        }
    }
}
