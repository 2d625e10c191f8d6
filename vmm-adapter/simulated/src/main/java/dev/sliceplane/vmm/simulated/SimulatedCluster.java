package dev.sliceplane.vmm.simulated;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;

import dev.sliceplane.vmm.api.Limits;
import dev.sliceplane.vmm.api.ProgramSpec;
import dev.sliceplane.vmm.api.SliverSpec;
import dev.sliceplane.vmm.api.SliverUsage;
import dev.sliceplane.vmm.api.VmmEvent;
import dev.sliceplane.vmm.api.VmmSnapshot;
import dev.sliceplane.vmm.simulated.internal.Rng;
import dev.sliceplane.vmm.spi.BackendContext;

/**
 * Many simulated nodes in one JVM, for discovery, monitoring and scale experiments: N nodes
 * ({@code node-00001}, …) on one {@link VirtualClock}, each seeded from the cluster's seed and
 * its name, each with the same number of slivers ({@code sim_0001}, …) running one program.
 * Nothing is persisted unless a state root is given. No threads: the caller advances the clock
 * and samples.
 *
 * <pre>{@code
 * try (SimulatedCluster cluster = SimulatedCluster.of(42, 2_000, 5)) {
 *     List<VmmSnapshot> snapshots = cluster.step(Duration.ofSeconds(10));
 * }
 * }</pre>
 *
 * <p>Not thread-safe: one thread drives a cluster.
 */
public final class SimulatedCluster implements AutoCloseable {

    /** Where a cluster's clock starts unless told otherwise: a Monday, midnight UTC. */
    public static final Instant DEFAULT_START = Instant.parse("2026-01-05T00:00:00Z");

    /** The limits of a cluster's slivers unless told otherwise: 1 core, 2 GiB, 512 processes, 10 GiB of disk. */
    public static final Limits DEFAULT_LIMITS = new Limits(1.0, 100, 2L << 30, 512, 10L << 30);

    /** One simulated node of the cluster. */
    public record Node(String name, SimulatedBackend backend) {
    }

    private final long seed;
    private final VirtualClock clock;
    private final List<Node> nodes;
    private final long[] eventCounts = new long[VmmEvent.Kind.values().length];
    private long sequence;

    private SimulatedCluster(Builder b) {
        this.seed = b.seed;
        this.clock = new VirtualClock(b.start);
        List<Node> made = new ArrayList<>(b.nodes);
        int width = Math.max(5, Integer.toString(b.nodes).length());
        try {
            for (int i = 1; i <= b.nodes; i++) {
                String name = String.format("node-%0" + width + "d", i);
                Map<String, String> settings = b.settings.withSeed(Rng.derive(seed, name))
                        .withPersist(b.stateRoot != null).toMap();
                Path state = b.stateRoot != null ? b.stateRoot.resolve(name) : Path.of("simulated-cluster", name);
                BiConsumer<String, VmmEvent> listener = b.events;
                SimulatedBackend backend = new SimulatedBackendFactory().open(new BackendContext(state, settings,
                        event -> {
                            eventCounts[event.kind().ordinal()]++;
                            if (listener != null) {
                                listener.accept(name, event);
                            }
                        }, clock));
                made.add(new Node(name, backend));
                if (backend.list().isEmpty()) {
                    for (int j = 1; j <= b.sliversPerNode; j++) {
                        String sliver = String.format("sim_%04d", j);
                        backend.create(new SliverSpec(sliver, b.limits));
                        if (b.launch) {
                            backend.launch(sliver, ProgramSpec.of("sim-workload", sliver));
                        }
                    }
                }
            }
        } catch (RuntimeException e) {
            made.forEach(n -> n.backend().close());
            throw e;
        }
        this.nodes = Collections.unmodifiableList(made);
    }

    /** {@code nodes} simulated nodes with default settings and {@code sliversPerNode} running slivers each. */
    public static SimulatedCluster of(long seed, int nodes, int sliversPerNode) {
        return builder().seed(seed).nodes(nodes).sliversPerNode(sliversPerNode).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public long seed() {
        return seed;
    }

    /** The cluster's clock; advance it, then {@link #sampleAll()}. */
    public VirtualClock clock() {
        return clock;
    }

    public List<Node> nodes() {
        return nodes;
    }

    public int sliverCount() {
        int n = 0;
        for (Node node : nodes) {
            n += node.backend().list().size();
        }
        return n;
    }

    /** One pass over every node, in order: its slivers' usage and its status, as the VMM core would sample it. */
    public List<VmmSnapshot> sampleAll() {
        long pass = ++sequence;
        List<VmmSnapshot> snapshots = new ArrayList<>(nodes.size());
        for (Node node : nodes) {
            List<SliverUsage> usage = node.backend().usage();
            var status = node.backend().nodeStatus().orElseThrow();
            snapshots.add(new VmmSnapshot(pass, status.at(), SimulatedBackend.NAME, true, status, usage));
        }
        return snapshots;
    }

    /** Advances the clock by {@code by}, then samples every node. */
    public List<VmmSnapshot> step(Duration by) {
        clock.advance(by);
        return sampleAll();
    }

    /** Events of one kind reported by all nodes so far. */
    public long events(VmmEvent.Kind kind) {
        return eventCounts[kind.ordinal()];
    }

    /** Events reported by all nodes so far, by kind. */
    public Map<VmmEvent.Kind, Long> eventCounts() {
        Map<VmmEvent.Kind, Long> counts = new EnumMap<>(VmmEvent.Kind.class);
        for (VmmEvent.Kind kind : VmmEvent.Kind.values()) {
            counts.put(kind, eventCounts[kind.ordinal()]);
        }
        return counts;
    }

    /** Closes every node (writing their records when a state root was given). */
    @Override
    public void close() {
        for (Node node : nodes) {
            node.backend().close();
        }
    }

    /** How to build a cluster; every setting has a default. */
    public static final class Builder {
        private long seed;
        private int nodes = 1;
        private int sliversPerNode;
        private SimulationSettings settings = SimulationSettings.DEFAULTS;
        private Instant start = DEFAULT_START;
        private Limits limits = DEFAULT_LIMITS;
        private boolean launch = true;
        private Path stateRoot;
        private BiConsumer<String, VmmEvent> events;

        private Builder() {
        }

        /** The cluster's seed; each node's seed is derived from it and the node's name. Default 0. */
        public Builder seed(long clusterSeed) {
            this.seed = clusterSeed;
            return this;
        }

        /** How many nodes; default 1. */
        public Builder nodes(int count) {
            if (count < 0) {
                throw new IllegalArgumentException("nodes must not be negative, was " + count);
            }
            this.nodes = count;
            return this;
        }

        /** How many slivers each node gets; default 0. */
        public Builder sliversPerNode(int count) {
            if (count < 0 || count > 9_999) {
                throw new IllegalArgumentException("slivers per node must be in [0, 9999], was " + count);
            }
            this.sliversPerNode = count;
            return this;
        }

        /** Settings of every node (capacity, failure rates…); their seed and persistence are replaced. */
        public Builder settings(SimulationSettings nodeSettings) {
            this.settings = Objects.requireNonNull(nodeSettings, "settings");
            return this;
        }

        /** Where the clock starts; default {@link #DEFAULT_START}. */
        public Builder start(Instant at) {
            this.start = Objects.requireNonNull(at, "start");
            return this;
        }

        /** The limits of every sliver; default {@link #DEFAULT_LIMITS}. */
        public Builder limits(Limits sliverLimits) {
            this.limits = Objects.requireNonNull(sliverLimits, "limits");
            return this;
        }

        /** Whether each sliver gets a running program (default) or stays idle. */
        public Builder launch(boolean launchPrograms) {
            this.launch = launchPrograms;
            return this;
        }

        /** Persist each node under {@code root/<node>}; a cluster re-built on the same root re-attaches. */
        public Builder stateRoot(Path root) {
            this.stateRoot = root;
            return this;
        }

        /** Also hand every event to this listener, with the node's name. */
        public Builder events(BiConsumer<String, VmmEvent> listener) {
            this.events = listener;
            return this;
        }

        public SimulatedCluster build() {
            return new SimulatedCluster(this);
        }
    }
}
